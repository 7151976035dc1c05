package io.warden.coordinator.plan;

import java.time.Duration;

/**
 * How readily a dead master is replaced.
 *
 * @param downAfter   how long the evidence must agree before a master is declared failed ({@code WARDEN_DOWN_AFTER_MS}).
 *                    Cluster mode skips the wait when the master's own agent says its process is gone
 * @param maxLagBytes the most a replica may be behind the dead master's last known offset and still be promoted
 *                    ({@code WARDEN_MAX_FAILOVER_LAG_BYTES})
 */
public record FailoverPolicy(Duration downAfter, long maxLagBytes) {

    public static final FailoverPolicy DEFAULTS = new FailoverPolicy(Duration.ofMillis(2000), 1024 * 1024);
}
