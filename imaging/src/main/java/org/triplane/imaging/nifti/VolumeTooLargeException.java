package org.triplane.imaging.nifti;

import java.nio.file.Path;

/**
 * A file whose header declares more than a {@link VolumeLimits} admits: too many voxels, too many
 * bytes, or more bytes than its compressed size can honestly hold. Raised from the header alone,
 * before any voxel is inflated.
 */
public class VolumeTooLargeException extends InvalidImageException {

    public VolumeTooLargeException(Path file, String problem) {
        super(file, problem);
    }
}
