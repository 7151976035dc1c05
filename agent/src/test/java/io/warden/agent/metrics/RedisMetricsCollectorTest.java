package io.warden.agent.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.RedisInfoParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders observations of captured Redis 7.0.15 output as the Prometheus text a scrape would get, and checks
 * the series redis_exporter's dashboards and alerts rely on.
 */
class RedisMetricsCollectorTest {

    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private static String redis7(String file) {
        try (InputStream in = RedisMetricsCollectorTest.class.getResourceAsStream("/redis7/" + file)) {
            assertNotNull(in, "missing test resource redis7/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisObservation observed(String infoFile, Optional<ClusterInfo> cluster, OptionalLong masterOffset) {
        return new RedisObservation(AT, Duration.ofMillis(2), Reachability.up(),
                Optional.of(RedisInfoParser.parse(redis7(infoFile))), cluster, Optional.empty(), masterOffset, 16);
    }

    private static RedisObservation observed(String infoFile) {
        return observed(infoFile, Optional.empty(), OptionalLong.empty());
    }

    private static String scrape(RedisObservation observation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, RedisMetricsCollector.render(observation));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every sample of the scrape, by series ({@code name{labels}}), in order; values as numbers (1 and 1.0 alike). */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static void assertSample(Map<String, Double> samples, String series, double expected) {
        Double actual = samples.get(series);
        assertNotNull(actual, () -> "no sample " + series + " in " + samples.keySet());
        assertEquals(expected, actual, 1e-9, series);
    }

    private static final Map<String, Double> MASTER = samples(scrape(observed("info-master.txt")));

    @Test
    void answeringRedisIsUp() {
        assertSample(MASTER, "redis_up", 1);
    }

    @Test
    void keysAreCountedPerDatabase() {
        assertSample(MASTER, "redis_db_keys{db=\"db0\"}", 3);
        assertSample(MASTER, "redis_db_keys_expiring{db=\"db0\"}", 1);
        assertSample(MASTER, "redis_db_keys{db=\"db2\"}", 1);
        assertSample(MASTER, "redis_db_keys_expiring{db=\"db2\"}", 0);
        assertSample(MASTER, "redis_db_avg_ttl_seconds{db=\"db0\"}", 95.498);
    }

    @Test
    void everyConfiguredDatabaseIsListedEvenWhenEmpty() {
        for (int db : new int[] {1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
            assertSample(MASTER, "redis_db_keys{db=\"db" + db + "\"}", 0);
            assertSample(MASTER, "redis_db_keys_expiring{db=\"db" + db + "\"}", 0);
        }
        assertFalse(MASTER.containsKey("redis_db_keys{db=\"db16\"}"));
        assertEquals(16, MASTER.keySet().stream().filter(s -> s.startsWith("redis_db_keys{")).count());
    }

    @Test
    void instanceInfoCarriesRoleAndVersion() {
        List<String> info = MASTER.keySet().stream().filter(s -> s.startsWith("redis_instance_info{")).toList();
        assertEquals(1, info.size(), info.toString());
        String series = info.get(0);
        assertTrue(series.contains("role=\"master\""), series);
        assertTrue(series.contains("redis_version=\"7.0.15\""), series);
        assertTrue(series.contains("redis_mode=\"standalone\""), series);
        assertTrue(series.contains("tcp_port=\"17001\""), series);
        assertSample(MASTER, series, 1);
    }

    @Test
    void connectedReplicaIsLabelledByAddressAndState() {
        String labels = "{slave_ip=\"127.0.0.1\",slave_port=\"17002\",slave_state=\"online\"}";
        assertSample(MASTER, "redis_connected_slave_lag_seconds" + labels, 0);
        assertSample(MASTER, "redis_connected_slave_offset_bytes" + labels, 175);
        assertSample(MASTER, "redis_connected_slaves", 1);
    }

    @Test
    void countersEndInTotal() {
        assertSample(MASTER, "redis_commands_processed_total", 12);
        assertSample(MASTER, "redis_connections_received_total", 5);
        assertSample(MASTER, "redis_net_input_bytes_total", 466);
        assertSample(MASTER, "redis_cpu_user_seconds_total", 0.014495);
        assertFalse(MASTER.containsKey("redis_commands_processed"));
        assertTrue(scrape(observed("info-master.txt")).contains("# TYPE redis_commands_processed_total counter"));
    }

    @Test
    void lastBgsaveOkIsOneAndErrIsZero() {
        assertSample(MASTER, "redis_rdb_last_bgsave_status", 1);
        String failed = redis7("info-master.txt").replace("rdb_last_bgsave_status:ok", "rdb_last_bgsave_status:err");
        RedisObservation observation = new RedisObservation(AT, Duration.ZERO, Reachability.up(),
                Optional.of(RedisInfoParser.parse(failed)), Optional.empty(), Optional.empty(), OptionalLong.empty(), 16);
        assertSample(samples(scrape(observation)), "redis_rdb_last_bgsave_status", 0);
    }

    @Test
    void microsecondsAreReportedAsSeconds() {
        assertSample(MASTER, "redis_latest_fork_seconds", 0.00066);
    }

    @Test
    void maxmemoryIsReportedUnderBothExporterNames() {
        assertSample(MASTER, "redis_memory_max_bytes", 0);
        assertSample(MASTER, "redis_config_maxmemory", 0);
        assertSample(MASTER, "redis_memory_used_bytes", 1132880);
    }

    @Test
    void masterHasNoMasterLinkSeries() {
        assertTrue(MASTER.keySet().stream().noneMatch(s -> s.startsWith("redis_master_link_up")), MASTER.keySet()::toString);
        assertTrue(MASTER.keySet().stream().noneMatch(s -> s.startsWith("warden_replica_lag_bytes")));
    }

    @Test
    void replicaReportsItsLinkToTheMaster() {
        Map<String, Double> replica = samples(scrape(observed("info-replica.txt")));
        String master = "{master_host=\"127.0.0.21\",master_port=\"17001\"}";
        assertSample(replica, "redis_master_link_up" + master, 1);
        assertSample(replica, "redis_master_last_io_seconds_ago" + master, 2);
        assertSample(replica, "redis_slave_repl_offset" + master, 175);
        assertSample(replica, "redis_slave_info{master_host=\"127.0.0.21\",master_port=\"17001\",read_only=\"1\"}", 1);
        assertTrue(replica.keySet().stream().anyMatch(s -> s.startsWith("redis_instance_info{") && s.contains("role=\"slave\"")));
    }

    @Test
    void replicaWithLinkDownReportsZero() {
        Map<String, Double> replica = samples(scrape(observed("info-replica-linkdown.txt")));
        assertSample(replica, "redis_master_link_up{master_host=\"127.0.0.21\",master_port=\"17001\"}", 0);
    }

    @Test
    void replicaLagBytesComesFromTheMastersOffset() {
        Map<String, Double> replica = samples(scrape(observed("info-replica.txt", Optional.empty(), OptionalLong.of(1175))));
        assertSample(replica, "warden_replica_lag_bytes", 1000);
    }

    @Test
    void clusterStateOkIsOne() {
        Map<String, Double> node = samples(scrape(
                observed("info-cluster.txt", Optional.of(ClusterInfo.parse(redis7("cluster-info-ok.txt"))), OptionalLong.empty())));
        assertSample(node, "redis_cluster_enabled", 1);
        assertSample(node, "redis_cluster_state", 1);
        assertSample(node, "redis_cluster_slots_assigned", 16384);
        assertSample(node, "redis_cluster_messages_sent_total", 0);
    }

    @Test
    void clusterStateFailIsZero() {
        Map<String, Double> node = samples(scrape(
                observed("info-cluster.txt", Optional.of(ClusterInfo.parse(redis7("cluster-info-fail.txt"))), OptionalLong.empty())));
        assertSample(node, "redis_cluster_state", 0);
        assertSample(node, "redis_cluster_slots_assigned", 0);
    }

    @Test
    void standaloneHasNoClusterStateSeries() {
        assertFalse(MASTER.containsKey("redis_cluster_state"));
        assertSample(MASTER, "redis_cluster_enabled", 0);
    }

    @Test
    void downRedisReportsOnlyRedisUpZero() {
        RedisObservation down = RedisObservation.down(AT, Duration.ofMillis(1),
                new Reachability(Reachability.State.DOWN, "connection refused"));
        assertEquals(Map.of("redis_up", 0.0), samples(scrape(down)));
    }

    @Test
    void nothingObservedYetReportsOnlyRedisUpZero() {
        String text = scrape(RedisObservation.none(AT));
        assertEquals(Map.of("redis_up", 0.0), samples(text));
        assertTrue(text.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.isBlank() || l.startsWith("redis_up ")), text);
    }
}
