package org.triplane.segmentation.registration;

import java.util.Locale;
import org.triplane.imaging.registration.WarpObjective;
import org.triplane.segmentation.infer.Devices;

/**
 * Which implementation computes the deformable stage's objective, by name: {@code java} (the
 * plain-Java {@code WarpMetric}, the default) or {@code tensor}, {@code tensor:cpu},
 * {@code tensor:cuda}, {@code tensor:cuda:N}, {@code tensor:auto} ({@link TensorWarpObjective} on
 * that device; {@code tensor} alone is {@code auto}: the first GPU if the engine sees one, else the
 * CPU). Both compute the same function to float32's precision; the choice moves where the CPU time is
 * spent, not the result beyond that (BENCHMARKS.md, section 23).
 */
public final class WarpObjectives {
    /** System property the benchmarks read the choice from. */
    public static final String PROPERTY = "triplane.warp.objective";
    public static final String JAVA = "java";
    private static final String TENSOR = "tensor";

    private WarpObjectives() {
    }

    /**
     * The factory named by {@code setting}.
     *
     * @param javaThreads worker threads of the Java objective (libtorch's are set process-wide,
     *                    {@link Devices#applyThreads})
     * @throws IllegalArgumentException naming the setting when it is none of the names above
     */
    public static WarpObjective.Factory parse(String setting, int javaThreads) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        if (s.equals(JAVA)) {
            return WarpObjective.inJava(javaThreads);
        }
        if (s.equals(TENSOR)) {
            return TensorWarpObjective.on(Devices.choose());
        }
        if (s.startsWith(TENSOR + ":")) {
            try {
                return TensorWarpObjective.on(Devices.parse(s.substring(TENSOR.length() + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(unknown(setting), e);
            }
        }
        throw new IllegalArgumentException(unknown(setting));
    }

    private static String unknown(String setting) {
        return "warp objective '" + setting + "': expected java, tensor, tensor:cpu, tensor:cuda, tensor:cuda:N or tensor:auto";
    }
}
