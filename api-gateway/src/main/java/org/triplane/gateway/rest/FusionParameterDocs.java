package org.triplane.gateway.rest;

/**
 * The parameters of a segment or evaluate job, as the OpenAPI document lists them: each key with
 * what its value must be, worded as the schema that judges them at submission
 * ({@code service.parameters.FusionParameterSchema}) says it, which a test checks. The fusion-worker
 * reads the vote's keys.
 */
public final class FusionParameterDocs {

    /** One paragraph for the OpenAPI text. */
    public static final String TEXT = "Fusion parameters (segment and evaluate jobs; every key optional, null or absent "
            + "for the default in brackets; another key, or a value outside the one described, is refused with 400 "
            + "naming parameters.<key>): fusion, one of majority, confidence, learned: the vote over the three planes, "
            + "majority (a label two of three planes predict, else background), confidence (largest summed confidence) "
            + "or learned (the planes and the atlas method weighted per member and label by the fusion weights recorded "
            + "with the model set, fitted with `triplane model-set fit-fusion`; a set without them is refused with 400 "
            + "parameters.fusion) [majority]; fusionAtlasVoter, true or false: the atlas method (the atlas's labels "
            + "carried onto the scan by its registration, stored beside the planes' predictions and scored like them) "
            + "votes as a fourth member with confidence 255 (majority: the label more voters chose than any other, a tie "
            + "gives background; confidence: ties to axial, coronal, sagittal, atlas); the result records the rule as "
            + "majority+atlas or confidence+atlas; the learned vote always has the atlas as a member and ignores it "
            + "[false]; modelSetId, an id (UUID): the model set the job runs, as the field modelSetId (both given must "
            + "agree) [the default model set].";

    private FusionParameterDocs() {
    }
}
