package org.triplane.preprocess.service;

/**
 * Wall-clock durations of one preprocess run, milliseconds; stored on the task as JSON with the
 * unit in each key name. {@code registerMs} is the atlas registration (every scan has one).
 */
public record Timings(long downloadMs, long registerMs, long rotateWindowMs, long uploadMs) {
    public String toJson() {
        return "{\"download_ms\":" + downloadMs + ",\"register_ms\":" + registerMs + ",\"rotate_window_ms\":"
                + rotateWindowMs + ",\"upload_ms\":" + uploadMs + "}";
    }
}
