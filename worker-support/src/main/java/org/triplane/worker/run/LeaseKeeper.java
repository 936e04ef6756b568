package org.triplane.worker.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.triplane.db.tasks.Task;

/**
 * Heartbeats a claimed task in the background while it runs. Once the database says the lease is
 * gone (the sweeper reclaimed it), {@link #lost()} turns true and the run must not publish
 * anything; the final compare-and-set would refuse it anyway.
 */
public final class LeaseKeeper implements AutoCloseable {

    /** Extends a task's lease; answers {@code false} once the lease is gone. */
    @FunctionalInterface
    public interface Heartbeat {
        boolean beat(Task task, int leaseSeconds);
    }

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final AtomicBoolean lost = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> beat;

    public LeaseKeeper(Heartbeat ledger, Task task, int leaseSeconds, Duration interval) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + task.id());
            t.setDaemon(true);
            return t;
        });
        this.beat = timer.scheduleAtFixedRate(() -> {
            try {
                if (!ledger.beat(task, leaseSeconds)) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                // why: a database blip is not a lost lease; the next beat may pass before it expires
                LOG.warnf("heartbeat of task %s failed: %s", task.id(), e.getMessage());
            } catch (Error e) {
                // why: an error would end the beats silently; the lease would expire and the sweeper hand the
                // task to another worker while this one works on: give the task up instead
                lost.set(true);
                LOG.errorf(e, "heartbeat of task %s died with %s; the task counts as lost", task.id(), e);
                throw e;
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean lost() {
        return lost.get();
    }

    @Override
    public void close() {
        beat.cancel(false);
        timer.shutdownNow();
    }
}
