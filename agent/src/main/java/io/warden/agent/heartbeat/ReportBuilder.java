package io.warden.agent.heartbeat;

import io.warden.agent.AgentConfig.Identity;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.ClusterViewDigest;
import io.warden.common.wire.InstructionResult;

import java.util.List;
import java.util.Map;

/** Turns the latest observation into the heartbeat's {@link AgentReport}. Pure. */
public final class ReportBuilder {

    private ReportBuilder() {
    }

    /**
     * @param appliedThrough  instructions carried out before {@code observation} began
     * @param coordinatorHolds the digest of this node's cluster view the coordinator said it holds: when the view
     *                        has not changed since, it is left out of the report
     */
    public static AgentReport report(Identity identity, RedisObservation observation, boolean dataAtStart, long epochSeen,
                                     InstructionResult lastResult, long appliedThrough, String coordinatorHolds) {
        return report(identity, observation, dataAtStart, epochSeen, lastResult, appliedThrough, coordinatorHolds, false, false);
    }

    /**
     * @param writesFenced the agent has paused writes on its master for want of a master lease
     * @param draining     preStop has begun: never choose this node for a role
     */
    public static AgentReport report(Identity identity, RedisObservation observation, boolean dataAtStart, long epochSeen,
                                     InstructionResult lastResult, long appliedThrough, String coordinatorHolds,
                                     boolean writesFenced, boolean draining) {
        if (!observation.up()) {
            return new AgentReport(identity.name(), identity.redisAddress(), identity.agentUrl(), identity.k8sNode(), identity.zone(),
                    false, observation.reachability().detail(), "unknown", 0, "", false, 0, dataAtStart, false, "",
                    null, epochSeen, lastResult, appliedThrough, "", "", 0, "", "", observation.reachability().refused(), false, "", draining,
                    Map.of(), false, false);
        }
        RedisInfo info = observation.info().orElseThrow();
        boolean replica = info.role() == Role.REPLICA;
        String master = replica ? info.masterHost().orElse("") + ":" + info.masterPort().orElse(0) : "";
        List<ClusterNodeEntry> view = ClusterViewDigest.canonical(observation.clusterNodes());
        String digest = ClusterViewDigest.of(view);
        boolean unchanged = !digest.isEmpty() && digest.equals(coordinatorHolds);
        return new AgentReport(identity.name(), identity.redisAddress(), identity.agentUrl(), identity.k8sNode(), identity.zone(),
                true, "", info.role().wireName(), info.replicationOffset(), master, replica && info.masterLinkUp(),
                info.keyCount(), dataAtStart, info.clusterEnabled(), observation.nodeId().orElse(""),
                unchanged ? List.of() : view, epochSeen, lastResult, appliedThrough, digest,
                observation.cluster().map(ClusterInfo::state).orElse(""),
                observation.cluster().map(c -> c.longValue("cluster_current_epoch").orElse(0)).orElse(0L),
                info.string("master_replid").orElse(""), info.string("master_replid2").orElse(""), false, writesFenced, "", draining,
                observation.openSlotKeys(), false, false);
    }
}
