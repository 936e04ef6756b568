package org.triplane.gateway.rest;

/**
 * The parameters of a train job, as the OpenAPI document lists them: each key with what its value
 * must be, worded as the schema that judges them at submission
 * ({@code service.parameters.TrainingParameterSchema}) says it, which a test checks. The gpu-worker
 * reads them and fills in the defaults; the preprocess-worker reads folds and modelSetName too.
 */
public final class TrainingParameterDocs {

    /** One paragraph for the OpenAPI text. */
    public static final String TEXT = "Training parameters (train jobs; every key optional, defaults in brackets; "
            + "another key, a value outside the one described, or keys that cannot go together are refused with 400 "
            + "naming parameters.<key> and what is expected; null only stands for the default of folds and "
            + "modelSetName): preset, one of small, tiny, study: the network [small]; epochs, an integer ≥ 1: epochs "
            + "per plane [12]; batchSize, an integer ≥ 1: slices per step [8]; learningRate, a number > 0: Adam step "
            + "size [0.001]; seed, an integer within ±2^53: seeds split, initialisation, order and augmentation [42]; "
            + "validationScans, an integer ≥ 1: scans held out for validation, split by scan, fewer than the job's "
            + "scans [1]; folds, an integer ≥ 2: k-fold cross-validation by scan, k at most the number of scans, not "
            + "together with validationScans; the job then trains k model sets named <modelSetName>-fold<i>of<k>, fold "
            + "i validated on its own scans and trained on the others, and GET /jobs/{id}/training summarises them per "
            + "plane [absent: one model set]; inputs, one of window, midline, atlas: what the networks take besides the "
            + "window, window (nothing else), midline (the distance from the mid-sagittal plane) or atlas (the atlas "
            + "registered to the scan by preprocessing: its CT template, atlas coordinates and label shares, 26 "
            + "channels, on a model grid in atlas space over the 20 regions; every scan needs its atlas registration, "
            + "and inference with such a model set too) [midline]; atlasRegistration, one of deformable, affine: only "
            + "with inputs atlas, the atlas inputs follow each scan's deformable registration, stored by "
            + "preprocessing, or its affine map alone [deformable]; positionChannel, true or false: the older "
            + "spelling, true is inputs midline, false inputs window; with inputs it must agree [true]; gridSpacingMm, "
            + "a number > 0: isotropic spacing of the model grid in mm [2.0; 1.5 with inputs atlas]; fieldOfViewMm, "
            + "[x, y, z]: three numbers > 0: model grid extent in mm LPS, not with inputs atlas [[256, 256, 160]]; "
            + "alpha, a number ≥ 0, or an object {\"axial\", \"coronal\", \"sagittal\"} of such numbers: Tversky loss "
            + "weight of false positives, for all planes or by plane [0.85, sagittal 0.8]; beta, a number ≥ 0, or an "
            + "object {\"axial\", \"coronal\", \"sagittal\"} of such numbers: the weight of false negatives, not 0 "
            + "where alpha is [0.15, sagittal 0.2; without beta, 1 - alpha, so alpha alone must be at most 1]; "
            + "crossEntropyWeight, a number ≥ 0: weight of the pixel-wise cross-entropy added to the Tversky loss, 0 for "
            + "the Tversky loss alone [1.0]; modelSetName, a non-blank text of at most 200 characters: unique name of "
            + "the model set the job produces [train-<job id>].";

    private TrainingParameterDocs() {
    }
}
