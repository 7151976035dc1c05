package io.warden.agent.lifecycle;

import io.warden.agent.redis.RedisObservation;

/**
 * Whether the agent is draining for shutdown: from the moment preStop is called, {@code /ready} answers 503 and
 * heartbeats say so, so neither clients nor the coordinator pick this node for anything. Draining ends when the
 * Redis it drained for is gone and another process answers (a new {@code run_id}): Kubernetes restarts a failed
 * container without restarting its sidecar, and the new Redis must be ready again.
 */
public final class Drain {

    /** The run_id of the Redis being drained ("" when it was not answering); null when not draining. */
    private volatile String drainedRunId;

    public void begin(RedisObservation now) {
        if (drainedRunId == null) {
            drainedRunId = runId(now);
        }
    }

    public boolean draining() {
        return drainedRunId != null;
    }

    /** An observation listener: a new Redis process ends the drain. */
    public void observe(RedisObservation observation) {
        String drained = drainedRunId;
        if (drained != null && observation.up() && !runId(observation).isEmpty() && !runId(observation).equals(drained)) {
            drainedRunId = null;
        }
    }

    private static String runId(RedisObservation observation) {
        return observation.info().flatMap(i -> i.string("run_id")).orElse("");
    }
}
