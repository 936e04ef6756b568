package org.triplane.imaging.registration;

/**
 * Where an optimisation stage ended.
 *
 * @param parameters the stage's scaled parameters ({@link MapParameters})
 * @param value      the metric there (NCC)
 * @param iterations metric evaluations spent
 */
record AscentOutcome(double[] parameters, double value, int iterations) {
}
