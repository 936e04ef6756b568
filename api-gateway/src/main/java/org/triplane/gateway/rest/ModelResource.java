package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.triplane.gateway.service.FusionWeightsService;
import org.triplane.gateway.service.ModelService;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.imaging.plane.Plane;
import org.triplane.objectstore.ObjectStore;

/**
 * The model registry. Unlike scans and jobs it is not tenant data: every tenant's valid
 * {@code X-Api-Key} reads the same catalogue of trained models and model sets. A tenant records
 * learned fusion weights only for a set it trained, fitted on its own evaluate job.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@ActsForTenant
@SecurityRequirement(name = ProblemResponses.API_KEY_SCHEME)
public class ModelResource {

    private static final String SHARED = " The model registry is shared by all tenants: any valid X-Api-Key reads the "
            + "same models, whichever tenant's training produced them (a model lists its training scans by id and "
            + "checksum only).";

    @Inject
    CallingTenant caller;

    @Inject
    ModelService models;

    @Inject
    ObjectStore objects;

    @Inject
    FusionWeightsService fusionWeights;

    @GET
    @Operation(summary = "The model registry, newest first",
            description = "Each trained per-plane model with its hyper-parameters and validation metrics (JSON objects), "
                    + "seed, training scans, model grid spacing (mm) and slice size (pixels), weights key and checksum, "
                    + "and from its set the training job and, for k-fold cross-validation, fold and foldCount; "
                    + "limit <= " + ModelService.MAX_LIST + " (default 100)." + SHARED)
    public List<ModelResponse> list(@RestQuery Integer limit) {
        return models.recent(limit == null ? 100 : limit).stream().map(r -> ModelResponse.of(r.model(), r.set())).toList();
    }

    @GET
    @Path("/default")
    @Operation(summary = "The default model set with its models",
            description = "The set a segment or evaluate job runs when it names none: the model set that ships with the "
                    + "project, registered by the gateway at start (default = true, shippedSha256 = its model-set.json's "
                    + "SHA-256, events = when and by whom it was registered). 404 when none is registered." + SHARED)
    public ModelSetResponse defaultSet() {
        return models.defaultSet().map(ModelSetResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("modelSetId", "no default model set is registered: ship one "
                        + "in models/default (written by `triplane model-set export`) and restart the gateway"));
    }

    @GET
    @Path("/{modelSetId}/planes/{plane}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download one plane's weights file of a model set, streamed",
            description = "plane: axial, coronal or sagittal. The bytes the gpu-workers load (SHA-256 = the model's "
                    + "weightsSha256); `triplane model-set export` writes them into a shippable folder." + SHARED)
    public Response weights(@RestPath UUID modelSetId,
                            @RestPath String plane) {
        Plane p;
        try {
            p = Plane.fromWireName(plane);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.notFound("plane", "no plane '" + plane + "' (axial, coronal or sagittal)");
        }
        org.triplane.db.models.Model model = models.model(modelSetId, p).orElseThrow(() -> RequestRejected.notFound("modelSetId",
                "model set " + modelSetId + " has no " + plane + " model"));
        java.io.InputStream in = objects.get(model.weightsKey()).orElseThrow(() -> RequestRejected.notFound("plane",
                "the " + plane + " weights of model set " + modelSetId + " (" + model.weightsKey() + ") are not in the store"));
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + p.name().toLowerCase(java.util.Locale.ROOT)
                        + ".params\"")
                .header("X-Weights-Sha256", model.weightsSha256())
                .build();
    }

    @POST
    @Path("/{modelSetId}/fusion-weights")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a model set's learned fusion weights",
            description = "What `triplane model-set fit-fusion SET --from-job JOB` sends after fitting the weights on the job's "
                    + "stored predictions: {weights: {axial|coronal|sagittal|atlas: [21 weights, labels 0..20, finite, >= 0]}, "
                    + "evaluateJobId, scanIds, meanIoU, equalWeightsMeanIoU, memberMeanIoU: {axial|coronal|sagittal|atlas: "
                    + "mean IoU}}, at most " + FusionWeightsService.MAX_BODY_BYTES + " bytes (413 above). The set must be one "
                    + "the caller's tenant trained (403 otherwise: the registry is shared); the job the tenant's SUCCEEDED "
                    + "evaluate job of this set (404 when not the caller's, 409 otherwise) and each scan one of its labelled "
                    + "scans (409); the member mean IoUs must agree with the job's recorded confusion matrices (409) and the "
                    + "fitted vote must score at least the best member and equal weights (400). 201 with the weights as "
                    + "recorded (recordedAt, recordedBy); 200 when the set already has this fit; 409 when it has another "
                    + "(a set's weights never change). Jobs of the set may then ask for fusion=learned.")
    public Response recordFusionWeights(@RestPath UUID modelSetId,
                                        InputStream body) {
        UUID tenant = caller.id();
        FusionWeightsService.Recorded r = fusionWeights.record(tenant, caller.requester(), modelSetId,
                bounded(body, FusionWeightsService.MAX_BODY_BYTES));
        return Response.status(r.created() ? 201 : 200).entity(FusionWeightsResponse.of(r.weights())).build();
    }

    /** The body as text, refused with 413 beyond {@code limit} bytes (read no further). */
    private static String bounded(InputStream body, int limit) {
        if (body == null) {
            throw RequestRejected.badRequest("body", "JSON body required");
        }
        try (body) {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new RequestRejected(413, "body", "the request body exceeds " + limit + " bytes");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw RequestRejected.badRequest("body", "cannot read the request body: " + e.getMessage());
        }
    }

    @GET
    @Path("/{modelSetId}")
    @Operation(summary = "A model set with its models",
            description = "complete is true once the set has a model for each of the three planes; only then can a "
                    + "segment or evaluate job name it. trainingJobId names the TRAIN job that produced the set; fold and "
                    + "foldCount (1..k of k) are set for one fold of a k-fold cross-validation, whose models list their "
                    + "validation scans in hyperParameters.validationScanIds. fusionWeights holds its learned fusion "
                    + "weights with what they were fitted on and who recorded them when (null when none)." + SHARED)
    public ModelSetResponse set(@RestPath UUID modelSetId) {
        return models.set(modelSetId).map(ModelSetResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("modelSetId", "model set " + modelSetId + " not found"));
    }
}
