package org.triplane.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import picocli.CommandLine.Option;

/** {@code --transform} and {@code --inverse}, shared by the commands that rotate a volume. */
final class TransformOptions {
    @Option(names = "--transform", paramLabel = "T.txt", description = "ITK transform file (maps output points to input points, LPS mm)")
    Path transform;

    @Option(names = "--inverse", description = "use the inverse transform")
    boolean inverse;

    /** The transform to resample with; the identity when {@code --transform} is absent and not required. */
    AffineTransform load(boolean required) throws IOException {
        if (transform == null) {
            if (required) {
                throw new IllegalArgumentException("--transform T.txt is required");
            }
            return AffineTransform.identity();
        }
        AffineTransform t = ItkTransformFile.read(transform);
        return inverse ? t.inverse() : t;
    }
}
