package org.triplane.gpu.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triplane.events.Topics;

/**
 * The task topics a gpu-worker subscribes to, from the task kinds it is configured to take
 * ({@code triplane.gpu.tasks}): {@code plane} (inference) and {@code train}. Why a choice: training
 * needs oneDNN limited to SSE4.1 kernels ({@code DNNL_MAX_CPU_ISA=SSE41}, see
 * {@code ConvolutionGradientCheck}), which slows inference several times; a worker that takes plane
 * tasks only can run without that limit while another takes the training tasks.
 */
public final class TaskTopics {
    /** Inference: one plane of one scan. */
    public static final String PLANE = "plane";
    /** Training: one plane's network (of one fold). */
    public static final String TRAIN = "train";

    private TaskTopics() {
    }

    /**
     * @param kinds task kinds, each {@value #PLANE} or {@value #TRAIN} (case and surrounding spaces ignored)
     * @return their topics, in the order given, without repeats
     * @throws IllegalArgumentException naming the setting when a kind is unknown or none is given
     */
    public static List<String> of(List<String> kinds) {
        List<String> topics = new ArrayList<>();
        for (String kind : kinds) {
            String topic = switch (kind.strip().toLowerCase(Locale.ROOT)) {
                case PLANE -> Topics.PLANE_TASKS;
                case TRAIN -> Topics.TRAIN_TASKS;
                default -> throw new IllegalArgumentException("triplane.gpu.tasks: unknown task kind '" + kind
                        + "'; use " + PLANE + " and/or " + TRAIN);
            };
            if (!topics.contains(topic)) {
                topics.add(topic);
            }
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("triplane.gpu.tasks: no task kind given; use " + PLANE + " and/or " + TRAIN);
        }
        return List.copyOf(topics);
    }
}
