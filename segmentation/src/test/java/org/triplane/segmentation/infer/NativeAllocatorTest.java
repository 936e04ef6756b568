package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void recognisesTheSettingsAmongOtherTunables() {
        assertTrue(NativeAllocator.covers(NativeAllocator.TUNABLES));
        assertTrue(NativeAllocator.covers("glibc.pthread.rseq=0:glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0"));
    }

    @Test
    void missingOrPartialSettingsAreNotEnough() {
        assertFalse(NativeAllocator.covers(null));
        assertFalse(NativeAllocator.covers(""));
        assertFalse(NativeAllocator.covers("glibc.malloc.mmap_max=0"));
        assertFalse(NativeAllocator.covers("glibc.malloc.mmap_max=01:glibc.malloc.arena_max=1"));
    }

    @Test
    void theTestJvmIsStartedWithTheSettings() {
        // why: the build passes them to the test JVM (pom.xml); without them the training tests run slower
        assertTrue(NativeAllocator.startupWarning().isEmpty(), () -> NativeAllocator.startupWarning().orElseThrow());
    }
}
