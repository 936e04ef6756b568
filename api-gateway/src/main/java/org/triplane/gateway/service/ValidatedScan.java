package org.triplane.gateway.service;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.Geometry;

/**
 * What the checks found out about an upload: enough to record the scan.
 *
 * @param ctGeometry the CT's grid as ITK reads it: dims [nx, ny, nz] (x fastest), spacing mm, origin and direction LPS
 * @param transform  the labelling transform, output point → input point, LPS mm; a proper rotation,
 *                   or {@code null} when none was uploaded
 */
public record ValidatedScan(Geometry ctGeometry, AffineTransform transform) {
}
