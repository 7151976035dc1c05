package io.warden.agent.heartbeat;

import io.warden.agent.AgentConfig.Identity;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.InstructionResult;

/** Turns the latest observation into the heartbeat's {@link AgentReport}. Pure. */
public final class ReportBuilder {

    private ReportBuilder() {
    }

    /**
     * @param appliedThrough instructions carried out before {@code observation} began
     */
    public static AgentReport report(Identity identity, RedisObservation observation, boolean dataAtStart, long epochSeen,
                                     InstructionResult lastResult, long appliedThrough) {
        if (!observation.up()) {
            return new AgentReport(identity.name(), identity.redisAddress(), identity.agentUrl(), identity.k8sNode(), identity.zone(),
                    false, observation.reachability().detail(), "unknown", 0, "", false, 0, dataAtStart, false, "",
                    null, epochSeen, lastResult, appliedThrough);
        }
        RedisInfo info = observation.info().orElseThrow();
        boolean replica = info.role() == Role.REPLICA;
        String master = replica ? info.masterHost().orElse("") + ":" + info.masterPort().orElse(0) : "";
        return new AgentReport(identity.name(), identity.redisAddress(), identity.agentUrl(), identity.k8sNode(), identity.zone(),
                true, "", info.role().wireName(), info.replicationOffset(), master, replica && info.masterLinkUp(),
                info.keyCount(), dataAtStart, info.clusterEnabled(), observation.nodeId().orElse(""),
                observation.clusterNodes(), epochSeen, lastResult, appliedThrough);
    }
}
