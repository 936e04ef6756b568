package org.triplane.imaging.dicom;

import org.triplane.imaging.volume.Volume;

/**
 * A CT series as one volume: all that leaves {@link DicomSeriesReader}.
 *
 * @param volume       HU (RescaleSlope/Intercept applied), LPS mm, x fastest; int16 when every
 *                     slice's rescale is integral, else float32
 * @param seriesSha256 SHA-256 (hex) of the SeriesInstanceUID: the series' identity without its UID
 * @param studySha256  SHA-256 (hex) of the StudyInstanceUID, or {@code null} when the files have none
 */
public record DicomSeries(Volume volume, String seriesSha256, String studySha256) {
}
