package org.triplane.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.triplane.worker.run.PoisonInputException;

class TransfersTest {

    @Test
    void aTransfersResultAndItsFailureReachTheTaskUnchanged() throws IOException {
        try (Transfers transfers = new Transfers(2, "test-transfer")) {
            PoisonInputException poison = new PoisonInputException("tenants/t/x.tpvol: corrupted");
            IOException disk = new IOException("disk full");
            Transfers.Pending<String> ok = transfers.start(() -> Thread.currentThread().getName());
            Transfers.Pending<Void> bad = transfers.start(() -> {
                throw poison;
            });
            Transfers.Pending<Void> io = transfers.start(() -> {
                throw disk;
            });

            assertThat(ok.await()).startsWith("test-transfer-");
            assertThatThrownBy(bad::await).isSameAs(poison);
            assertThatThrownBy(io::await).isSameAs(disk);
            assertThatThrownBy(() -> Transfers.settle(ok, null, bad, io)).isSameAs(poison);
            Transfers.finish(bad, null, io);
        }
    }

    @Test
    void settleWaitsForEveryTransferBeforeReportingTheFirstFailure() {
        Thread caller = Thread.currentThread();
        AtomicBoolean slowEnded = new AtomicBoolean();
        try (Transfers transfers = new Transfers(2, "test-transfer")) {
            Transfers.Pending<Void> failing = transfers.start(() -> {
                throw new IllegalStateException("first");
            });
            Transfers.Pending<Void> slow = transfers.start(() -> {
                // why: ends only once the caller is blocked waiting, so it is still running when settle is called
                await("the caller blocked in settle").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> caller.getState() == Thread.State.WAITING);
                slowEnded.set(true);
                return null;
            });

            assertThatThrownBy(() -> Transfers.settle(failing, slow)).hasMessage("first");
            assertThat(slowEnded).as("the slow transfer had ended when settle returned").isTrue();
        }
    }
}
