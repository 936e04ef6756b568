/**
 * Uploaded CT studies: the scan row with its objects, checksums, geometry (millimetres, LPS), ITK
 * transform and HU window ({@link org.triplane.db.scans.Scans}); the atlas registration of a
 * preprocessed scan ({@link org.triplane.db.scans.ScanRegistrations}); deleting a scan and its
 * checksummed deletion record ({@link org.triplane.db.scans.ScanDeletions}).
 *
 * <p>Depends on the root package and on {@code jobs} (a deletion locks the jobs that use the scan).
 */
package org.triplane.db.scans;
