package org.triplane.segmentation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.triplane.segmentation.model.UNet;

/**
 * Adam (β1 0.9, β2 0.999, ε 1e-8, no weight decay) whose state — per-weight step count and first and
 * second moment estimates — can be saved and restored, so that a resumed training continues exactly
 * where it stopped. DJL's own {@code Adam} keeps that state private; the update itself is the same
 * fused PyTorch kernel DJL's Adam calls.
 */
final class ResumableAdam extends Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final String MAGIC = "TRIPLANE-ADAM";

    private final float learningRate;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    ResumableAdam(float learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float biasCorrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), learningRate,
                biasCorrected, 0f, rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
    }

    /** Writes the state of every trainable weight of {@code net}, keyed by the weight's path name. */
    void save(UNet net, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.writeUTF(MAGIC);
            int n = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                n += steps.containsKey(p.getValue().getId()) ? 1 : 0;
            }
            out.writeInt(n);
            for (Pair<String, Parameter> p : net.getParameters()) {
                String id = p.getValue().getId();
                if (steps.containsKey(id)) {
                    out.writeUTF(p.getKey());
                    out.writeInt(steps.get(id));
                    writeArray(out, means.get(id));
                    writeArray(out, variances.get(id));
                }
            }
        }
    }

    /** Restores state written by {@link #save} for the weights of {@code net}; arrays go to {@code manager}. */
    void load(UNet net, Path file, NDManager manager) throws IOException {
        Map<String, String> idByName = new HashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            idByName.put(p.getKey(), p.getValue().getId());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException(file + " is not an optimizer state file");
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                String id = idByName.get(name);
                if (id == null) {
                    throw new IOException(file + " holds optimizer state for " + name + ", which the U-Net does not have");
                }
                steps.put(id, in.readInt());
                means.put(id, readArray(in, manager));
                variances.put(id, readArray(in, manager));
            }
        }
    }

    private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        byte[] bytes = a.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return manager.decode(bytes);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
