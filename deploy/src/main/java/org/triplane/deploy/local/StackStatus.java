package org.triplane.deploy.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole stack as {@code status} sees it.
 *
 * @param dataDir    the data directory
 * @param components postgres, kafka, objectstore, gateway, preprocess-worker, gpu-worker (then
 *                   gpu-worker-2, ... when there are several), fusion-worker, in that order (the first three only for a stack of
 *                   {@linkplain StackConfig#infrastructureOnly() the servers only})
 */
public record StackStatus(Path dataDir, List<ComponentStatus> components) {
    public StackStatus {
        components = List.copyOf(components);
    }

    /** The component of that name. */
    public Optional<ComponentStatus> component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Whether every installed component is {@code running}. */
    public boolean allUp() {
        return components.stream().allMatch(c -> c.state() == ComponentStatus.State.RUNNING
                || c.state() == ComponentStatus.State.NOT_BUILT);
    }

    /** Whether no component the stack runs has a process. */
    public boolean allStopped() {
        return components.stream().noneMatch(c -> c.managed() && (c.state() == ComponentStatus.State.RUNNING
                || c.state() == ComponentStatus.State.UNRESPONSIVE));
    }

    /**
     * The JSON shape of {@code triplane stack status}: one key per component
     * ({@code postgres}, {@code kafka}, {@code objectStore}, {@code gateway}, {@code preprocessWorker},
     * {@code gpuWorker}, then {@code gpuWorker2}, ... when the stack runs several, {@code fusionWorker}) then
     * {@code dataDir}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ComponentStatus c : components) {
            m.put(jsonKey(c.name()), c.toMap());
        }
        m.put("dataDir", dataDir.toString());
        return m;
    }

    private static String jsonKey(String name) {
        return switch (name) {
            case ObjectStoreComponent.NAME -> "objectStore";
            case PreprocessWorkerComponent.NAME -> "preprocessWorker";
            case GpuWorkerComponent.NAME -> "gpuWorker";
            case FusionWorkerComponent.NAME -> "fusionWorker";
            // why: gpu-worker-2, -3, ... of a stack with several gpu-workers
            default -> name.startsWith(GpuWorkerComponent.NAME + "-")
                    ? "gpuWorker" + name.substring(GpuWorkerComponent.NAME.length() + 1) : name;
        };
    }
}
