package io.warden.agent.failover;

import io.warden.common.redis.Role;
import org.junit.jupiter.api.Test;

import static io.warden.agent.failover.FenceDecision.NOTHING;
import static io.warden.agent.failover.FenceDecision.PAUSE;
import static io.warden.agent.failover.FenceDecision.RESUME;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FenceDecisionTest {

    @Test
    void masterWithoutLeasePausesWritesEveryTime() {
        assertEquals(PAUSE, FenceDecision.decide(true, false, Role.MASTER, true, false, false));
        assertEquals(PAUSE, FenceDecision.decide(true, false, Role.MASTER, true, false, true), "renewed while it lasts");
    }

    @Test
    void leaseGrantedResumesWhatWasPaused() {
        assertEquals(RESUME, FenceDecision.decide(true, false, Role.MASTER, true, true, true));
        assertEquals(NOTHING, FenceDecision.decide(true, false, Role.MASTER, true, true, false));
    }

    @Test
    void demotedMasterIsResumedAsAReplica() {
        assertEquals(RESUME, FenceDecision.decide(true, false, Role.REPLICA, true, false, true));
        assertEquals(NOTHING, FenceDecision.decide(true, false, Role.REPLICA, true, false, false));
    }

    @Test
    void masterServesUntilACoordinatorFirstAnswers() {
        assertEquals(NOTHING, FenceDecision.decide(true, false, Role.MASTER, false, false, false));
    }

    @Test
    void clusterModeAndDeadRedisAreLeftAlone() {
        assertEquals(NOTHING, FenceDecision.decide(true, true, Role.MASTER, true, false, false));
        assertEquals(NOTHING, FenceDecision.decide(false, false, null, true, false, true));
    }
}
