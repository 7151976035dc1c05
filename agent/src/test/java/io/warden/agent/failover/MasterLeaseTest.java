package io.warden.agent.failover;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterLeaseTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MasterLease lease = new MasterLease(nanos::get);

    @Test
    void leaseRunsFromWhenTheHeartbeatWasSentNotWhenTheAnswerCame() {
        long sent = nanos.get();
        nanos.addAndGet(300_000_000L);          // the answer took 300 ms
        lease.answered(sent, 500);

        assertTrue(lease.valid());
        assertEquals(200, lease.remainingMillis());
        nanos.addAndGet(200_000_000L);
        assertFalse(lease.valid(), "ends 500 ms after sending");
    }

    @Test
    void answerWithoutLeaseEndsItAndTellsTheListeners() {
        AtomicInteger told = new AtomicInteger();
        lease.onChange(told::incrementAndGet);
        lease.answered(nanos.get(), 500);
        lease.answered(nanos.get(), 0);

        assertFalse(lease.valid());
        assertEquals(2, told.get());
    }
}
