package io.warden.agent.failover;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The master lease the coordinator grants in its heartbeat answers (replication mode). It runs from when the agent
 * <em>sent</em> the heartbeat, not from when the answer came: the coordinator counts from when it received it, which
 * is later, so the agent's lease always ends first. Measured on the monotonic clock.
 */
public final class MasterLease {

    private final LongSupplier nanoTime;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean held;
    private volatile boolean answered;
    private volatile long expiresAtNanos;
    private volatile int shardReplicas = -1;

    public MasterLease(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Called with every heartbeat answer; {@code leaseMs} 0 means none was granted. */
    public void answered(long sentAtNanos, long leaseMs) {
        answered(sentAtNanos, leaseMs, -1);
    }

    /** @param shardReplicas how many replicas the coordinator says this shard has, -1 when it did not say */
    public void answered(long sentAtNanos, long leaseMs, int shardReplicas) {
        if (shardReplicas >= 0) {
            this.shardReplicas = shardReplicas; // kept through a coordinator outage: that is when it is needed
        }
        boolean wasValid = valid();
        boolean first = !answered;
        answered = true;
        held = leaseMs > 0;
        expiresAtNanos = sentAtNanos + leaseMs * 1_000_000;
        if (first || wasValid != valid() || held) {
            listeners.forEach(Runnable::run);
        }
    }

    /** Told when a lease is granted or renewed, or taken away. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Whether a coordinator has ever answered this agent: before that, nobody grants leases, and nobody fences. */
    public boolean coordinatorAnswered() {
        return answered;
    }

    /** The replica count the coordinator last gave for this shard, -1 when it never did. */
    public int shardReplicas() {
        return shardReplicas;
    }

    public boolean valid() {
        return held && nanoTime.getAsLong() - expiresAtNanos < 0;
    }

    /** Milliseconds until the lease ends (0 when there is none). */
    public long remainingMillis() {
        return valid() ? Math.max(0, (expiresAtNanos - nanoTime.getAsLong()) / 1_000_000) : 0;
    }
}
