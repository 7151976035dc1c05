package io.warden.agent;

import io.lettuce.core.Range;
import io.warden.testkit.Eventually;
import io.warden.testkit.Promtool;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics against real Redis: values agree with what Redis says, and promtool accepts every shape. */
class AgentMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void keyCountsMatchDbsizeAfterWrites() {
        RedisServer master = redis.start(RedisSpec.standalone());
        for (int i = 0; i < 250; i++) {
            master.commands().set("key:" + i, "v");
        }
        master.commands().expire("key:0", 600);
        master.commands().select(3);
        master.commands().set("in-db3", "v");
        master.commands().select(0);
        try (AgentHarness agent = AgentHarness.start(master)) {
            long dbsize = master.commands().dbsize();
            Eventually.await(WAIT, "redis_db_keys{db=\"db0\"} to equal DBSIZE",
                    () -> value(agent, "redis_db_keys{db=\"db0\"}").orElse(-1.0) == dbsize, () -> scrape(agent));
            assertEquals(1.0, value(agent, "redis_db_keys_expiring{db=\"db0\"}").orElseThrow());
            assertEquals(1.0, value(agent, "redis_db_keys{db=\"db3\"}").orElseThrow());
            assertEquals(0.0, value(agent, "redis_db_keys{db=\"db15\"}").orElseThrow(), "every database is listed");
        }
    }

    @Test
    void gaugesAndCountersFollowRedis() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            master.commands().get("missing");
            master.commands().set("present", "v");
            master.commands().get("present");
            Eventually.await(WAIT, "a keyspace miss to be counted",
                    () -> value(agent, "redis_keyspace_misses_total").orElse(0.0) >= 1, () -> scrape(agent));
            String text = scrape(agent);
            assertTrue(value(agent, "redis_keyspace_hits_total").orElseThrow() >= 1);
            assertTrue(value(agent, "redis_connected_clients").orElseThrow() >= 1);
            assertEquals(10000.0, value(agent, "redis_config_maxclients").orElseThrow());
            assertEquals(1.0, value(agent, "redis_rdb_last_bgsave_status").orElseThrow());
            assertTrue(value(agent, "redis_memory_used_bytes").orElseThrow() > 0);
            assertTrue(text.contains("redis_instance_info{") && text.contains("role=\"master\"") && text.contains("redis_version=\"7."), text);
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are exposed");
            assertTrue(text.contains("warden_observation_duration_seconds_count"), "the agent's own metrics are exposed");
        }
    }

    @Test
    void promtoolAcceptsMasterReplicaClusterAndDownOutput() {
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer replica = redis.startReplicaInSync(RedisSpec.standalone(), master);
        RedisServer clusterNode = redis.start(RedisSpec.standalone().clusterEnabled());
        clusterNode.commands().clusterAddSlotsRange(Range.create(0, 16383));
        try (AgentHarness onMaster = AgentHarness.start(master);
             AgentHarness onReplica = AgentHarness.start(replica);
             AgentHarness onCluster = AgentHarness.start(clusterNode)) {
            Eventually.await(WAIT, "replication metrics on the master",
                    () -> scrape(onMaster).contains("redis_connected_slave_offset_bytes{"), () -> scrape(onMaster));
            Eventually.await(WAIT, "the replica's link metric",
                    () -> value(onReplica, "redis_master_link_up{master_host=\"" + master.host() + "\",master_port=\""
                            + master.port() + "\"}").orElse(0.0) == 1.0, () -> scrape(onReplica));
            Eventually.await(WAIT, "cluster_state ok", () -> value(onCluster, "redis_cluster_state").orElse(0.0) == 1.0,
                    () -> scrape(onCluster));
            assertEquals(16384.0, value(onCluster, "redis_cluster_slots_assigned").orElseThrow());
            Promtool.assertValid(scrape(onMaster));
            Promtool.assertValid(scrape(onReplica));
            Promtool.assertValid(scrape(onCluster));

            clusterNode.kill();
            Eventually.await(WAIT, "redis_up 0", () -> value(onCluster, "redis_up").orElse(1.0) == 0.0);
            Promtool.assertValid(scrape(onCluster));
        }
    }

    private static String scrape(AgentHarness agent) {
        AgentHarness.Answer answer = agent.get("/metrics");
        assertEquals(200, answer.status());
        return answer.body();
    }

    /** The value of the sample whose name and labels are exactly {@code series}, if present. */
    static Optional<Double> value(AgentHarness agent, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape(agent));
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
}
