package io.warden.agent.lifecycle;

import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.common.redis.RedisInfoParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What preStop decides from one observation, which replica a local handover picks, when draining ends. */
class PreStopDecisionsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static final String MASTER_WITH_REPLICAS = "run_id:aaa\r\nrole:master\r\nconnected_slaves:3\r\n"
            + "slave0:ip=10.0.0.2,port=6379,state=online,offset=900,lag=0\r\n"
            + "slave1:ip=10.0.0.3,port=6379,state=online,offset=1000,lag=0\r\n"
            + "slave2:ip=10.0.0.4,port=6379,state=wait_bgsave,offset=0,lag=0\r\n"
            + "master_repl_offset:1000\r\n";
    private static final String MASTER_WITH_A_SYNCING_REPLICA = "run_id:aaa\r\nrole:master\r\nconnected_slaves:1\r\n"
            + "slave0:ip=10.0.0.4,port=6379,state=wait_bgsave,offset=0,lag=0\r\nmaster_repl_offset:1000\r\n";
    private static final String LONE_MASTER = "run_id:aaa\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:1000\r\n";
    private static final String REPLICA = "run_id:aaa\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
            + "master_link_status:up\r\nslave_repl_offset:1000\r\n";

    private static RedisObservation seen(String info) {
        return new RedisObservation(NOW, Duration.ofMillis(2), Reachability.up(), Optional.of(RedisInfoParser.parse(info)),
                Optional.empty(), Optional.empty(), OptionalLong.empty(), 16);
    }

    @Test
    void aReplicaHasNothingToHandOver() {
        assertEquals(Optional.of("a replica: nothing to hand over"), PreStop.nothingToDo(seen(REPLICA)));
    }

    @Test
    void aLoneMasterOrOneWhoseOnlyReplicaIsStillSyncingHasNobodyToHandOverTo() {
        assertTrue(PreStop.nothingToDo(seen(LONE_MASTER)).orElseThrow().contains("without an online replica"));
        assertTrue(PreStop.nothingToDo(seen(MASTER_WITH_A_SYNCING_REPLICA)).orElseThrow().contains("without an online replica"));
    }

    @Test
    void aRedisThatDoesNotAnswerHasNothingToHandOver() {
        RedisObservation down = RedisObservation.down(NOW, Duration.ZERO, new Reachability(Reachability.State.DOWN, "connection refused"));
        assertTrue(PreStop.nothingToDo(down).orElseThrow().contains("connection refused"));
    }

    @Test
    void aMasterWithAnOnlineReplicaMustHandOver() {
        assertEquals(Optional.empty(), PreStop.nothingToDo(seen(MASTER_WITH_REPLICAS)));
    }

    @Test
    void localHandoverPicksTheOnlineReplicaWithTheHighestOffset() {
        var chosen = LocalHandover.choose(RedisInfoParser.parse(MASTER_WITH_REPLICAS)).orElseThrow();
        assertEquals("10.0.0.3:6379", chosen.ip() + ":" + chosen.port());
        assertEquals(Optional.empty(), LocalHandover.choose(RedisInfoParser.parse(MASTER_WITH_A_SYNCING_REPLICA)));
    }

    @Test
    void drainingLastsUntilAnotherRedisProcessAnswers() {
        Drain drain = new Drain();
        assertFalse(drain.draining());
        drain.begin(seen(MASTER_WITH_REPLICAS));
        assertTrue(drain.draining());
        drain.observe(seen(REPLICA));
        assertTrue(drain.draining(), "the same process (run_id aaa), now a replica, still drains");
        drain.observe(RedisObservation.down(NOW, Duration.ZERO, new Reachability(Reachability.State.DOWN, "connection refused")));
        assertTrue(drain.draining(), "stopped, still drains");
        drain.observe(seen(REPLICA.replace("run_id:aaa", "run_id:bbb")));
        assertFalse(drain.draining(), "a restarted Redis serves again");
    }
}
