package org.triplane.imaging.fusion;

import org.triplane.imaging.volume.Volume;

/**
 * The fused segmentation of one scan on its ROTATED grid (uint8, x fastest, LPS mm; both volumes
 * on the grid of the plane predictions).
 *
 * @param method     the rule that produced it
 * @param labels     fused label per voxel, 0..20
 * @param support    {@code round(S / 3)} per voxel, where {@code S} is the summed confidence of
 *                   the planes whose label equals the fused label: 255 when all three planes
 *                   agree with full confidence, at most 170 when two do, and 0 when the majority
 *                   rule fell back to background that no plane predicted; with
 *                   the atlas method as a fourth voter, and in the learned vote, {@code round(S / 4)}
 *                   (the atlas counting 255, weights not applied); {@code null} when the
 *                   predictions came without confidence (a majority vote that did not read it)
 */
public record FusedLabels(FusionMethod method, Volume labels, Volume support) {
}
