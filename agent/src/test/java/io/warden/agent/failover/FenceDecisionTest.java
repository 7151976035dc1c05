package io.warden.agent.failover;

import io.warden.common.redis.Role;
import org.junit.jupiter.api.Test;

import static io.warden.agent.failover.FenceDecision.AS_IT_IS;
import static io.warden.agent.failover.FenceDecision.OPEN;
import static io.warden.agent.failover.FenceDecision.PAUSED;
import static io.warden.agent.failover.FenceDecision.REPLICAS_REQUIRED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FenceDecisionTest {

    private static final int UNKNOWN = -1;

    @Test
    void masterWithoutLeaseNeedsEveryReplicaOfItsShardToAcknowledge() {
        assertEquals(REPLICAS_REQUIRED, FenceDecision.decide(true, false, Role.MASTER, true, false, 2));
    }

    @Test
    void masterWithoutLeaseOrReplicaCountPausesWrites() {
        assertEquals(PAUSED, FenceDecision.decide(true, false, Role.MASTER, true, false, UNKNOWN));
    }

    @Test
    void leaseGrantedOpensWrites() {
        assertEquals(OPEN, FenceDecision.decide(true, false, Role.MASTER, true, true, 2));
    }

    @Test
    void demotedMasterIsOpenAsAReplica() {
        assertEquals(OPEN, FenceDecision.decide(true, false, Role.REPLICA, true, false, 2));
    }

    @Test
    void masterServesUntilACoordinatorFirstAnswers() {
        assertEquals(OPEN, FenceDecision.decide(true, false, Role.MASTER, false, false, UNKNOWN));
    }

    @Test
    void clusterModeAndDeadRedisAreLeftAlone() {
        assertEquals(AS_IT_IS, FenceDecision.decide(true, true, Role.MASTER, true, false, 2));
        assertEquals(AS_IT_IS, FenceDecision.decide(false, false, null, true, false, 2));
    }
}
