package org.triplane.gateway.service.parameters;

import java.util.Arrays;
import java.util.List;
import org.triplane.imaging.fusion.FusionMethod;

/**
 * The parameters of a segment or evaluate job: how the fusion-worker votes, and the model set the
 * job runs. The vote's names are the fusion-worker's own parser's ({@link FusionMethod#parse}).
 */
public final class FusionParameterSchema {

    /** The vote over the planes. */
    public static final String FUSION = FusionMethod.PARAMETER;
    /** Whether the atlas method votes as a fourth member. */
    public static final String ATLAS_VOTER = FusionMethod.ATLAS_VOTER_PARAMETER;
    /** The model set the job runs, like the request's field of that name. */
    public static final String MODEL_SET_ID = "modelSetId";

    /** Every key, in the documentation's order. */
    public static final KindSchema SCHEMA = new KindSchema(List.of(
            ParameterSpec.orNull(FUSION, WireName.parsedBy(
                    Arrays.stream(FusionMethod.values()).map(FusionMethod::wireName).toList(), FusionMethod::parse)),
            ParameterSpec.orNull(ATLAS_VOTER, new Flag()),
            ParameterSpec.orNull(MODEL_SET_ID, new UuidText())), List.of());

    private FusionParameterSchema() {
    }
}
