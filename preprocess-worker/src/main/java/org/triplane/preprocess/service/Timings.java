package org.triplane.preprocess.service;

/**
 * Wall-clock durations of one preprocess run, milliseconds; stored on the task as JSON with the
 * unit in each key name. {@code registerMs} is the atlas registration (every scan has one);
 * {@code maskAtlasMs} the intracranial mask and the atlas method on both grids (0 for a TRAIN job,
 * which predicts nothing). The windowed volume is encoded and uploaded on a transfer thread during
 * {@code maskAtlasMs}; {@code uploadMs} is the other uploads and what is left of that one.
 */
public record Timings(long downloadMs, long registerMs, long rotateWindowMs, long maskAtlasMs, long uploadMs) {
    public String toJson() {
        return "{\"download_ms\":" + downloadMs + ",\"register_ms\":" + registerMs + ",\"rotate_window_ms\":"
                + rotateWindowMs + ",\"mask_atlas_ms\":" + maskAtlasMs + ",\"upload_ms\":" + uploadMs + "}";
    }
}
