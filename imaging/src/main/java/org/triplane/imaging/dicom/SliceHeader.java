package org.triplane.imaging.dicom;

import java.util.List;
import java.util.Locale;

/**
 * What the reader keeps of one slice's attributes: its geometry, its pixel format and rescale, and
 * what it takes to refuse a wrong series (modality, image type, the series and study as SHA-256
 * hashes of their UIDs). Nothing else of the file is ever read into memory: no name, identifier,
 * date or free text of the patient, the study or the institution.
 *
 * @param name             the file's name in its folder or zip (for messages)
 * @param modality         (0008,0060), e.g. {@code CT}
 * @param imageType        (0008,0008) values, e.g. ORIGINAL, PRIMARY, AXIAL
 * @param seriesSha256     SHA-256 (hex) of the SeriesInstanceUID (0020,000E)
 * @param studySha256      SHA-256 (hex) of the StudyInstanceUID (0020,000D), or {@code null} when absent
 * @param position         ImagePositionPatient (0020,0032): LPS mm of the first pixel's centre
 * @param orientation      ImageOrientationPatient (0020,0037): the row direction (column index
 *                         increasing) then the column direction (row index increasing), LPS
 * @param pixelSpacing     PixelSpacing (0028,0030): between rows, then between columns, mm
 * @param rows             (0028,0010)
 * @param columns          (0028,0011)
 * @param bitsAllocated    (0028,0100)
 * @param bitsStored       (0028,0101)
 * @param signed           PixelRepresentation (0028,0103) is 1
 * @param samplesPerPixel  (0028,0002)
 * @param photometric      PhotometricInterpretation (0028,0004)
 * @param frames           NumberOfFrames (0028,0008), 1 when absent
 * @param slope            RescaleSlope (0028,1053)
 * @param intercept        RescaleIntercept (0028,1052)
 * @param gantryTiltDegrees GantryDetectorTilt (0018,1120), 0 when absent
 * @param pixelDataBytes   the length of PixelData (7FE0,0010)
 */
record SliceHeader(String name, String modality, List<String> imageType, String seriesSha256, String studySha256,
                   double[] position, double[] orientation, double[] pixelSpacing, int rows, int columns,
                   int bitsAllocated, int bitsStored, boolean signed, int samplesPerPixel, String photometric,
                   int frames, double slope, double intercept, double gantryTiltDegrees, long pixelDataBytes) {

    /** Bytes of one slice's pixels as this reader decodes them (one 16-bit sample per pixel). */
    long pixelBytes() {
        return (long) rows * columns * 2;
    }

    /**
     * The reason this slice cannot be part of a CT volume, one rule each: modality, localizer,
     * pixel format, multi-frame, missing geometry or rescale.
     *
     * @throws DicomFormatException naming the rule that failed
     */
    void check() throws DicomFormatException {
        if (!"CT".equals(modality)) {
            throw new DicomFormatException(modality == null ? "no Modality (0008,0060): not a CT image"
                    : "modality " + modality + ", not CT: only CT series are taken");
        }
        for (String t : imageType) {
            String v = t.toUpperCase(Locale.ROOT);
            if (v.equals("LOCALIZER") || v.equals("SCOUT") || v.equals("TOPOGRAM")) {
                throw new DicomFormatException("a localizer (ImageType " + String.join("\\", imageType)
                        + "), not an axial image series: leave the scout out of the folder or zip");
            }
        }
        if (frames != 1) {
            throw new DicomFormatException(frames + " frames in one file (an enhanced multi-frame image): only one slice "
                    + "per file is read");
        }
        if (samplesPerPixel != 1 || !"MONOCHROME2".equals(photometric)) {
            throw new DicomFormatException("pixels are " + samplesPerPixel + " sample(s) of " + photometric
                    + ": a CT slice is one MONOCHROME2 sample per pixel");
        }
        if (bitsAllocated != 16 || bitsStored < 1 || bitsStored > 16) {
            throw new DicomFormatException(bitsAllocated + " bits allocated (" + bitsStored + " stored) per pixel: only "
                    + "16-bit CT pixels are read");
        }
        if (rows < 1 || columns < 1) {
            throw new DicomFormatException("no image size (Rows (0028,0010), Columns (0028,0011))");
        }
        if (pixelDataBytes < pixelBytes()) {
            throw new DicomFormatException("PixelData holds " + pixelDataBytes + " bytes where " + rows + "×" + columns
                    + " 16-bit pixels need " + pixelBytes());
        }
        if (position == null || orientation == null || pixelSpacing == null) {
            throw new DicomFormatException("no " + (position == null ? "ImagePositionPatient (0020,0032)"
                    : orientation == null ? "ImageOrientationPatient (0020,0037)" : "PixelSpacing (0028,0030)")
                    + ": the slice has no place in the patient's space");
        }
        if (!(pixelSpacing[0] > 0) || !(pixelSpacing[1] > 0)) {
            throw new DicomFormatException("PixelSpacing " + pixelSpacing[0] + "\\" + pixelSpacing[1] + " mm is not positive");
        }
        if (!Double.isFinite(slope) || !Double.isFinite(intercept) || slope == 0) {
            throw new DicomFormatException("no usable RescaleSlope (0028,1053) / RescaleIntercept (0028,1052) (slope "
                    + slope + ", intercept " + intercept + "): Hounsfield units cannot be computed");
        }
    }
}
