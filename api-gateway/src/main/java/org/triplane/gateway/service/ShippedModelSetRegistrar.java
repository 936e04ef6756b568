package org.triplane.gateway.service;

import io.quarkus.runtime.StartupEvent;
import org.triplane.objectstore.ObjectStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.client.modelset.ModelSetFolder;
import org.triplane.db.DataAccessException;
import org.triplane.db.models.DefaultModelSets;
import org.triplane.db.models.DefaultRegistration;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.Model;
import org.triplane.db.models.ShippedModelSetRegistration;
import org.triplane.events.ObjectKeys;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.imaging.plane.Plane;
import org.triplane.objectstore.ObjectStoreException;

/**
 * At start-up, registers the model set that ships with the project ({@code triplane.default-model-set.path})
 * as the default model set of every tenant: its weights go to the object store under the registry's
 * keys, then the set, its models, its learned fusion weights when the folder has them and the audit
 * row go to Postgres in one transaction (as {@code triplane_worker}). Every replica runs it; the job
 * store makes it idempotent and serialises concurrent replicas, so the same content is one set with
 * one id, registered once. A malformed folder stops the gateway with a message naming the file: a
 * deployment that ships a broken model set must not serve with a different default than intended.
 */
@ApplicationScoped
public class ShippedModelSetRegistrar {

    private static final Logger LOG = Logger.getLogger(ShippedModelSetRegistrar.class);

    /** What the start-up registration found and did. */
    public enum Outcome {
        /** No folder (or no {@code model-set.json} in it): nothing registered. */
        ABSENT,
        /** The set was registered now and made the default. */
        REGISTERED,
        /** The set was registered before and is the default again now. */
        RESTORED,
        /** The set was already the default: nothing written. */
        UNCHANGED
    }

    void onStart(@Observes @Priority(15) StartupEvent event, GatewayConfig config, Databases db, ObjectStore objects) {
        register(Path.of(config.defaultModelSet().path()), config.defaultModelSet().attempts(), db, objects);
    }

    /**
     * @param folder   the shipped folder
     * @param attempts tries while the database or object store fail
     * @return what was done
     * @throws ModelSetFolder.InvalidModelSetFolderException when the folder is malformed
     */
    Outcome register(Path folder, int attempts, Databases db, ObjectStore objects) {
        Optional<ModelSetFolder.Folder> shipped = ModelSetFolder.readIfPresent(folder);
        if (shipped.isEmpty()) {
            LOG.infof("no shipped model set at %s (no %s): nothing registered as the default; segment and evaluate jobs "
                    + "need a model set named, or a default registered before", folder.toAbsolutePath(), ModelSetFolder.MANIFEST);
            return Outcome.ABSENT;
        }
        ModelSetFolder.Folder f = shipped.get();
        ShippedModelSetRegistration registration;
        try {
            registration = registration(f, actor());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(folder.resolve(ModelSetFolder.MANIFEST) + ": " + e.getMessage(), e);
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= Math.max(1, attempts); attempt++) {
            try {
                for (Model m : registration.models()) {
                    objects.put(m.weightsKey(), f.weights().get(m.plane().name().toLowerCase(Locale.ROOT)),
                            "application/octet-stream");
                }
                DefaultRegistration r = db.worker().run(c -> DefaultModelSets.registerShipped(c, registration));
                Outcome outcome = r.registered() ? Outcome.REGISTERED : r.madeDefault() ? Outcome.RESTORED : Outcome.UNCHANGED;
                LOG.infof("shipped model set %s ('%s', SHA-256 %s, code version %s) from %s: %s; it is the default model set "
                        + "of every tenant", r.set().id(), r.set().name(), f.sha256(), f.manifest().codeVersion(),
                        folder.toAbsolutePath(), outcome.name().toLowerCase(Locale.ROOT));
                return outcome;
            } catch (DataAccessException | ObjectStoreException e) {
                last = e;
                LOG.warnf("registering the shipped model set from %s, attempt %d of %d: %s", folder, attempt, attempts,
                        e.getMessage());
                sleep(1000L << Math.min(attempt - 1, 4));
            }
        }
        throw new IllegalStateException("cannot register the shipped model set from " + folder.toAbsolutePath() + " after "
                + attempts + " attempts: " + last.getMessage(), last);
    }

    /**
     * The job database's form of a shipped folder: id from the checksum, weights under the registry's keys,
     * its fusion weights checked as recorded ones are.
     *
     * @throws IllegalStateException naming {@code fusion-weights.json} and the field when its weights are unusable
     */
    static ShippedModelSetRegistration registration(ModelSetFolder.Folder f, String actor) {
        UUID id = ShippedModelSetRegistration.idFor(f.sha256());
        List<Model> models = new ArrayList<>();
        for (ModelSetFolder.PlaneModel p : f.manifest().planes()) {
            Plane plane = Plane.fromWireName(p.plane());
            models.add(new Model(null, id, plane, p.architecture(), p.hyperParametersJson(), p.seed(),
                    p.trainingScanIds().stream().map(UUID::fromString).toList(), p.trainingScanSha256(), p.voxelSpacingMm(),
                    p.sliceSize(), p.codeVersion(), p.trainingDurationSeconds(), p.validationMetricsJson(),
                    ObjectKeys.modelWeights(id, plane), p.weightsSha256(), null));
        }
        FusionWeights fusion = f.fusionWeightsDocument().map(d -> {
            try {
                return FusionWeightsService.checked(d, id, null, actor);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(f.fusionWeights() + ": field " + e.getMessage(), e);
            }
        }).orElse(null);
        return new ShippedModelSetRegistration(id, f.manifest().name() + "-" + f.sha256().substring(0, 12),
                f.manifest().fusionRule(), f.manifest().codeVersion(), f.sha256(), models, actor, fusion);
    }

    private static String actor() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return "api-gateway@" + host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering the shipped model set", e);
        }
    }
}
