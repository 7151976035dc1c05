package io.warden.agent.health;

import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Whether Redis can serve, read from one observation. Not ready when any of these holds (every one that
 * holds is reported, so an operator sees all of them at once):
 * <ol>
 *   <li>the agent is draining for shutdown;</li>
 *   <li>the latest observation is stale (the loop could not read Redis lately);</li>
 *   <li>Redis did not answer, or is loading its dataset;</li>
 *   <li>cluster-enabled and {@code cluster_state} is not ok;</li>
 *   <li>a replica whose link to its master is down, or whose lag is over the limit.</li>
 * </ol>
 */
public final class Readiness {

    private Readiness() {
    }

    /** The verdict: ready or not, and the reasons when not. */
    public record Verdict(boolean ready, List<String> reasons) {

        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * @param staleAfter an observation older than this no longer speaks for Redis
     * @param maxLagBytes a replica further behind than this is not ready
     */
    public record Limits(Duration staleAfter, long maxLagBytes) {
    }

    public static Verdict evaluate(RedisObservation observation, boolean draining, Limits limits, Instant now) {
        List<String> reasons = new ArrayList<>();
        if (draining) {
            reasons.add("draining for shutdown");
        }
        Duration age = Duration.between(observation.at(), now);
        if (age.compareTo(limits.staleAfter()) > 0) {
            reasons.add("no observation of redis for " + age.toMillis() + " ms");
        }
        if (!observation.up()) {
            reasons.add("redis is not answering: " + observation.reachability().detail());
            return new Verdict(false, reasons);
        }
        RedisInfo info = observation.info().orElseThrow();
        if (info.loading()) {
            reasons.add("redis is loading its dataset");
        }
        observation.cluster().filter(c -> !c.stateOk())
                .ifPresent(c -> reasons.add("cluster_state:" + c.state()));
        if (info.role() == Role.REPLICA) {
            if (!info.masterLinkUp()) {
                reasons.add("replica link to master " + info.masterHost().orElse("?") + ":"
                        + info.masterPort().orElse(0) + " is " + info.string("master_link_status").orElse("down"));
            } else if ("1".equals(info.fields().get("master_sync_in_progress"))) {
                reasons.add("replica is still syncing from its master");
            }
            OptionalLong lag = observation.replicaLagBytes();
            if (lag.isPresent() && lag.getAsLong() > limits.maxLagBytes()) {
                reasons.add("replica lag " + lag.getAsLong() + " bytes is over the limit of " + limits.maxLagBytes());
            }
        }
        return new Verdict(reasons.isEmpty(), reasons);
    }
}
