package org.triplane.gpu.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triplane.gpu.config.GpuWorkerConfig;

/** The worker's local folder: downloaded model weights ({@code models/}) and training checkpoints ({@code training/}). */
@ApplicationScoped
public class WorkDir {
    private final Path root;

    public WorkDir(GpuWorkerConfig config) {
        try {
            this.root = config.workDir().isPresent()
                    ? Files.createDirectories(Path.of(config.workDir().get()))
                    : Files.createTempDirectory("triplane-gpu-worker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the gpu-worker's work folder: " + e.getMessage(), e);
        }
    }

    /** A sub-folder, created when missing. */
    public Path folder(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }
}
