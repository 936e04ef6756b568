package org.triplane.gpu.device;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Which libtorch builds the class path carries (DJL's native jars describe themselves in
 * {@code native/lib/pytorch.properties}) and how many GPUs DJL counts. Said when libtorch did not
 * load, because DJL takes a CUDA build from the class path only where it counts a GPU, and otherwise
 * looks for another build online, which an offline worker refuses: the two together explain the failure.
 */
final class BundledLibtorch {
    private BundledLibtorch() {
    }

    /** e.g. {@code "DJL counts 0 GPUs; libtorch builds on the class path: cu124 2.5.1-20241113"}. */
    static String describe() {
        return "DJL counts " + CudaUtils.getGpuCount() + " GPUs; libtorch builds on the class path: " + builds();
    }

    /** e.g. {@code "cu124 2.5.1-20241113"}, several joined by commas, or {@code "none"}. */
    static String builds() {
        List<String> builds = new ArrayList<>();
        try {
            for (URL url : Collections.list(BundledLibtorch.class.getClassLoader().getResources("native/lib/pytorch.properties"))) {
                Properties p = new Properties();
                try (InputStream in = url.openStream()) {
                    p.load(in);
                }
                builds.add(p.getProperty("flavor", "?") + " " + p.getProperty("version", "?"));
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return builds.isEmpty() ? "none" : String.join(", ", builds);
    }
}
