package org.triplane.gpu.service;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.models.Model;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.objectstore.ObjectStore;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.infer.Precision;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;

/**
 * Opened plane models, least recently used closed first. Weights are downloaded once per worker,
 * checked against the registry's SHA-256, and opened on this worker's device in its inference precision
 * ({@link org.triplane.gpu.device.InferencePlan}). Used by the one task
 * thread only.
 */
@ApplicationScoped
public class ModelCache {
    private static final Logger LOG = Logger.getLogger(ModelCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An opened model: the network on its device and the grid it was trained on. */
    public record Opened(PlanePredictor predictor, ModelGrid grid) {
    }

    private final ObjectStore objects;
    private final WorkDir workDir;
    private final Backoff backoff;
    private final Device device;
    private final Precision precision;
    private final int capacity;
    private final LinkedHashMap<UUID, Opened> open = new LinkedHashMap<>(16, 0.75f, true);

    public ModelCache(ObjectStore objects, WorkDir workDir, GpuWorkerConfig config, DeviceGate gate) {
        this.objects = objects;
        this.workDir = workDir;
        this.backoff = config.retry().backoff();
        this.device = gate.status().requireDevice();
        this.precision = gate.plan().precision();
        this.capacity = Math.max(1, config.modelCacheSize());
        Devices.applyThreads();
    }

    /** The device every model runs on, as task records name it. */
    public String deviceName() {
        return Devices.describe(device);
    }

    /** @throws PoisonInputException when the weights do not match the registry or cannot be opened */
    public synchronized Opened open(Model model) throws IOException {
        Opened cached = open.get(model.id());
        if (cached != null) {
            return cached;
        }
        Path weights = workDir.folder("models").resolve(model.id() + ".params");
        if (!Files.exists(weights) || !Sha256.of(weights).equals(model.weightsSha256())) {
            Path tmp = weights.resolveSibling(weights.getFileName() + ".part");
            backoff.run("download " + model.weightsKey(), () -> objects.download(model.weightsKey(), tmp));
            String actual = Sha256.of(tmp);
            if (!actual.equals(model.weightsSha256())) {
                Files.deleteIfExists(tmp);
                throw new PoisonInputException("weights " + model.weightsKey() + " of model " + model.id() + " have SHA-256 "
                        + actual + " but the registry says " + model.weightsSha256() + "; the model is damaged, retrain it");
            }
            Files.move(tmp, weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        UNetConfig config = ModelFiles.readConfig(weights);
        Opened opened = new Opened(new PlanePredictor(config, weights, device, precision), gridOf(model));
        open.put(model.id(), opened);
        evict();
        LOG.infof("model %s (%s) opened on %s in %s", model.id(), model.plane(), deviceName(), precision.wireName());
        return opened;
    }

    /**
     * The model grid a model was trained on, from its hyper-parameters (no weights needed).
     *
     * @throws PoisonInputException when they record none or cannot be read
     */
    public static ModelGrid gridOf(Model model) {
        try {
            JsonNode grid = JSON.readTree(model.hyperParametersJson()).path("grid");
            if (!grid.isObject()) {
                throw new PoisonInputException("model " + model.id() + " records no model grid in its hyper-parameters");
            }
            Map<String, Object> map = new LinkedHashMap<>();
            grid.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
            return ModelGrid.fromMap(map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonInputException("model " + model.id() + " has unreadable hyper-parameters: " + e.getMessage(), e);
        }
    }

    private void evict() {
        while (open.size() > capacity) {
            Map.Entry<UUID, Opened> eldest = open.entrySet().iterator().next();
            eldest.getValue().predictor().close();
            open.remove(eldest.getKey());
        }
    }

    @PreDestroy
    synchronized void closeAll() {
        open.values().forEach(o -> o.predictor().close());
        open.clear();
    }
}
