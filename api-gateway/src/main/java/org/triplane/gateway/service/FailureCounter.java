package org.triplane.gateway.service;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Failures per key (a client address, an API key's public prefix) in fixed windows: the
 * {@code max}-th failure within a window locks the key out until that window ends. At most
 * {@code tracked} keys are kept; beyond that the oldest window is forgotten first.
 */
final class FailureCounter {
    private final int max;
    private final long windowNanos;
    private final int tracked;
    private final LongSupplier clock;
    /** Insertion order = order of each key's window start, so the eldest is the one to forget. */
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    private record Window(long startNanos, int failures) {
    }

    FailureCounter(int max, Duration window, int tracked, LongSupplier clock) {
        if (max < 1 || tracked < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("failures and tracked keys must be at least 1 and the window positive, got "
                    + max + ", " + tracked + ", " + window);
        }
        this.max = max;
        this.windowNanos = window.toNanos();
        this.tracked = tracked;
        this.clock = clock;
    }

    /** Counts one failure of {@code key}. */
    synchronized void failed(String key) {
        long now = clock.getAsLong();
        Window w = windows.get(key);
        if (w == null || now - w.startNanos() >= windowNanos) {
            windows.remove(key);
            windows.put(key, new Window(now, 1));
            forgetBeyondCapacity(now);
        } else {
            windows.put(key, new Window(w.startNanos(), w.failures() + 1));
        }
    }

    /** How long {@code key} is still locked out, empty when it is not. */
    synchronized Optional<Duration> lockedFor(String key) {
        Window w = windows.get(key);
        if (w == null || w.failures() < max) {
            return Optional.empty();
        }
        long left = w.startNanos() + windowNanos - clock.getAsLong();
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    synchronized int size() {
        return windows.size();
    }

    private void forgetBeyondCapacity(long now) {
        Iterator<Map.Entry<String, Window>> eldest = windows.entrySet().iterator();
        while (windows.size() > tracked && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
        // why: expired windows at the head go too, so an idle gateway holds nothing from an old attack
        Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue().startNanos() < windowNanos) {
                break;
            }
            it.remove();
        }
    }
}
