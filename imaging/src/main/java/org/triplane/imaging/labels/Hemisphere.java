package org.triplane.imaging.labels;

/** The patient's side. LEFT is +x in LPS. */
public enum Hemisphere {
    LEFT, RIGHT
}
