package org.triplane.gateway.rest;

/**
 * The fusion parameters of a segment or evaluate job, as the OpenAPI document and the README list
 * them. The gateway records them with the job and refuses the learned vote for a model set without
 * fusion weights; the fusion-worker reads them and fails the job naming a bad value.
 */
public final class FusionParameterDocs {

    /** One paragraph for the OpenAPI text. */
    public static final String TEXT = "Fusion parameters (segment and evaluate jobs; every key optional, defaults in "
            + "brackets): fusion, the vote over the three planes: majority (a label two of three planes predict, else "
            + "background), confidence (largest summed confidence) or learned (the planes and the atlas method weighted "
            + "per member and label by the fusion weights recorded with the model set, fitted with `triplane model-set "
            + "fit-fusion`; a set without them is refused with 400 parameters.fusion) [majority]; fusionAtlasVoter, true "
            + "or false: the atlas method (the atlas's labels carried onto the scan by its registration, stored beside the "
            + "planes' predictions and scored like them) votes as a fourth member with confidence 255 (majority: the label "
            + "more voters chose than any other, a tie gives background; confidence: ties to axial, coronal, sagittal, "
            + "atlas); the result records the rule as majority+atlas or confidence+atlas; the learned vote always has the "
            + "atlas as a member and ignores it [false].";

    private FusionParameterDocs() {
    }
}
