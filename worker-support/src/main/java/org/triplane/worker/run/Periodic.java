package org.triplane.worker.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a step on its own thread, again and again with a fixed pause between the end of one run and
 * the start of the next (the first run one pause after {@link #start}). A run that throws is logged
 * and the next one comes on time, also after an {@link Error}: a sweeper or poller survives a database
 * that is briefly down and a moment without memory.
 */
public final class Periodic {
    private static final Logger LOG = Logger.getLogger(Periodic.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * @param threadName name of the thread (logs, thread dumps)
     * @param what       names the step in the warning logged when a run fails
     * @param interval   pause between two runs
     * @param step       one run
     */
    public static Periodic start(String threadName, String what, Duration interval, Runnable step) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException(what + ": interval must be positive, got " + interval);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, threadName));
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                // why: an exception escaping a scheduled run would cancel every later run
                LOG.warnf("%s failed, next one in %s: %s", what, interval, e.getMessage());
            } catch (Error e) {
                // why: an error (out of memory) escaping would cancel every later run as silently, while the
                // service still reports itself ready; the next run may find the memory free again
                LOG.errorf(e, "%s failed with %s, next one in %s", what, e, interval);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return new Periodic(timer);
    }

    /** Interrupts the run in progress, if any, and waits up to 30 s for it to end; no run starts after this. */
    public void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
