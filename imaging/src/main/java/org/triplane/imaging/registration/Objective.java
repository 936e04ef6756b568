package org.triplane.imaging.registration;

/**
 * A function of parameters to maximise, with its gradient (what the registration's L-BFGS ascent
 * climbs).
 */
@FunctionalInterface
public interface Objective {

    /** The value and, where the value is a number, its gradient with respect to every parameter. */
    record Value(double value, double[] gradient) {
    }

    Value evaluate(double[] parameters);
}
