package org.triplane.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads of a worker's own for object transfers (download and decode, encode and upload), so
 * that a task's transfers overlap with each other and with its computing instead of waiting in line.
 * A transfer's failure reaches the task, unchanged, when it awaits the transfer: a
 * {@link org.triplane.worker.run.PoisonInputException} stays poison, a transient failure transient.
 * The threads are daemons; {@link #close} stops them.
 */
public final class Transfers implements AutoCloseable {
    private final ExecutorService threads;

    /**
     * @param threads transfers at once (≥ 1)
     * @param name    the threads' name prefix, e.g. {@code fusion-transfer}
     */
    public Transfers(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A transfer started by {@link #start}; {@link #await} its result. */
    public static final class Pending<T> {
        private final Future<T> future;

        private Pending(Future<T> future) {
            this.future = future;
        }

        /**
         * Waits for the transfer.
         *
         * @return its result
         * @throws IOException as the transfer threw it; a runtime exception or error is rethrown as it was
         */
        public T await() throws IOException {
            try {
                return future.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a transfer", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new UncheckedIOException(new IOException("transfer failed: " + cause, cause));
            }
        }
    }

    /**
     * Waits for every one of {@code pending} (a {@code null} is skipped), so that none is still writing
     * into a task's scratch folder when the task leaves it, then throws the first failure among them.
     *
     * @throws IOException as the first failed transfer threw it (runtime exceptions as they were)
     */
    public static void settle(Pending<?>... pending) throws IOException {
        IOException firstIo = null;
        RuntimeException firstRuntime = null;
        for (Pending<?> p : pending) {
            if (p == null) {
                continue;
            }
            try {
                p.await();
            } catch (IOException e) {
                if (firstIo == null && firstRuntime == null) {
                    firstIo = e;
                }
            } catch (RuntimeException e) {
                if (firstIo == null && firstRuntime == null) {
                    firstRuntime = e;
                }
            }
        }
        if (firstIo != null) {
            throw firstIo;
        }
        if (firstRuntime != null) {
            throw firstRuntime;
        }
    }

    /**
     * Waits for each of {@code pending} (a {@code null} is skipped) and forgets how it ended: for a task
     * that is failing anyway, so that no transfer is still writing into its scratch folder when it leaves.
     */
    public static void finish(Pending<?>... pending) {
        for (Pending<?> p : pending) {
            if (p != null) {
                try {
                    p.await();
                } catch (IOException | RuntimeException ignored) {
                    // why: the task's own failure is the one to report
                }
            }
        }
    }

    /** Starts {@code transfer} on one of the threads; returns at once. */
    public <T> Pending<T> start(Callable<T> transfer) {
        return new Pending<>(threads.submit(transfer));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
