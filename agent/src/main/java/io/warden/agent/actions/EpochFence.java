package io.warden.agent.actions;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest coordinator epoch this agent has seen, from heartbeat answers and instructions. An instruction
 * from an older epoch comes from a deposed leader and is refused (DESIGN.md correctness rule 1).
 */
public final class EpochFence {

    private final AtomicLong newest = new AtomicLong();

    /** Records an epoch seen in a heartbeat answer. */
    public void observe(long epoch) {
        newest.accumulateAndGet(epoch, Math::max);
    }

    /** Admits an instruction of {@code epoch} (raising the newest seen) or answers false when it is stale. */
    public boolean admit(long epoch) {
        long seen = newest.accumulateAndGet(epoch, Math::max);
        return epoch >= seen;
    }

    public long newest() {
        return newest.get();
    }
}
