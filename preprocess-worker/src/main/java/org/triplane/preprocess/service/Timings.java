package org.triplane.preprocess.service;

/**
 * Wall-clock durations of one preprocess run, milliseconds; stored on the task as JSON with the
 * unit in each key name.
 */
public record Timings(long downloadMs, long rotateWindowMs, long uploadMs) {
    public String toJson() {
        return "{\"download_ms\":" + downloadMs + ",\"rotate_window_ms\":" + rotateWindowMs
                + ",\"upload_ms\":" + uploadMs + "}";
    }
}
