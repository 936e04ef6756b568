package org.triplane.gpu.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.triplane.segmentation.infer.NativeAllocator;

/**
 * Says at start-up, once, when the worker's JVM was started without the allocator settings libtorch
 * needs for full speed ({@link NativeAllocator}); the worker still runs, only slower, so this warns
 * instead of refusing.
 */
@ApplicationScoped
public class NativeAllocatorNotice {
    private static final Logger LOG = Logger.getLogger(NativeAllocatorNotice.class);

    void start(@Observes StartupEvent ignored) {
        NativeAllocator.startupWarning().ifPresentOrElse(w -> LOG.warn("gpu-worker: " + w),
                () -> LOG.infof("gpu-worker: %s=%s (libtorch keeps freed tensors for the next batch)",
                        NativeAllocator.VARIABLE, System.getenv(NativeAllocator.VARIABLE)));
    }
}
