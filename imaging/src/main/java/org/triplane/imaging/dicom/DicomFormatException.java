package org.triplane.imaging.dicom;

import java.io.IOException;

/** A slice that cannot be parsed or is not one the reader takes; the message is the reason, without the file name. */
final class DicomFormatException extends IOException {
    DicomFormatException(String reason) {
        super(reason);
    }
}
