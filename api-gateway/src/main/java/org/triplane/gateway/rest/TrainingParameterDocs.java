package org.triplane.gateway.rest;

/**
 * The training parameters of a train job, as the OpenAPI document and the README list them. The
 * gateway only checks that the parameters are a JSON object, that a {@code modelSetName} is a
 * free name (every fold's, with {@code folds}) and that {@code folds} is usable; the gpu-worker reads the values, fills in defaults and fails the job naming a bad key.
 */
public final class TrainingParameterDocs {

    /** One paragraph for the OpenAPI text. */
    public static final String TEXT = "Training parameters (train jobs; every key optional, defaults in brackets): "
            + "preset (small | tiny | study) [small]; epochs, per plane [12]; batchSize, slices per step [8]; "
            + "learningRate, Adam step size [0.001]; seed, seeds split, initialisation, order and augmentation [42]; "
            + "validationScans, scans held out for validation, split by scan [1]; folds, k-fold cross-validation by "
            + "scan: an integer 2..number of scans, not together with validationScans; the job then trains k model "
            + "sets named <modelSetName>-fold<i>of<k>, fold i validated on its own scans and trained on the others, "
            + "and GET /jobs/{id}/training summarises them per plane [absent: one model set]; inputs, what the networks take "
            + "besides the window: window (nothing else), midline (the distance from the mid-sagittal plane) or atlas "
            + "(the atlas registered to the scan by preprocessing: its CT template, atlas coordinates and label shares, "
            + "26 channels, on a model grid in atlas space over the 20 regions; every scan needs its atlas registration, "
            + "and inference with such a model set too) [midline]; atlasRegistration, with inputs atlas: deformable (the "
            + "atlas inputs follow each scan's deformable registration, stored by preprocessing) or affine (its affine map "
            + "alone) [deformable]; positionChannel, the older spelling: true is "
            + "inputs midline, false inputs window, a contradiction fails the job [true]; gridSpacingMm, isotropic "
            + "spacing of the model grid in mm [2.0; 1.5 with inputs atlas]; fieldOfViewMm, model grid extent [x, y, z] "
            + "mm LPS, not with inputs atlas [[256, 256, 160]]; alpha and beta, Tversky loss weights of false positives and false negatives, a number "
            + "for all planes or an object {\"axial\", \"coronal\", \"sagittal\"} [0.85 / 0.15, sagittal 0.8 / 0.2; "
            + "alpha alone sets beta = 1 - alpha]; crossEntropyWeight, weight of the pixel-wise cross-entropy added to the "
            + "Tversky loss, 0 for the Tversky loss alone [1.0]; modelSetName, unique name of the model set the job produces "
            + "[train-<job id>].";

    private TrainingParameterDocs() {
    }
}
