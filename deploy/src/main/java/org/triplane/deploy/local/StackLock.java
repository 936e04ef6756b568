package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An exclusive lock on {@code <data>/run/stack.lock} for the length of one {@code up} or
 * {@code down}, so that two of them (two terminals, two test JVMs) take turns on one data
 * directory. The operating system releases it if the holder dies.
 */
final class StackLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code wait} for the lock. */
    static StackLock acquire(Path lockFile, Duration wait, StackListener listener) {
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            boolean told = false;
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    return new StackLock(ch, l);
                }
                if (!told) {
                    listener.progress("stack", "waiting for another `stack up` or `stack down` on this data directory");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    ch.close();
                    throw new StackException("stack", "another `stack up` or `stack down` still holds " + lockFile
                            + " after " + wait.toSeconds() + " s");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            throw new StackException("stack", "cannot lock " + lockFile + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("stack", "interrupted while waiting for " + lockFile, null, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
