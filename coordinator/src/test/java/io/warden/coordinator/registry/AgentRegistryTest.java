package io.warden.coordinator.registry;

import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.WireJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The clocks the registry keeps per agent, on the coordinator's time. */
class AgentRegistryTest {

    private static final String ME = "73615461d769b7c26fcc772f722e2f9d7930449e";
    private static final String TARGET = "52c45dd90b79396b873c2eb75203fed6aacd1b67";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A cluster master's report whose own line in CLUSTER NODES ends with {@code slots} ("" for none). */
    private static AgentReport serving(String slots) {
        AgentReport report = WireJson.decode("{\"name\":\"redis-3\",\"redisUp\":true,\"role\":\"master\",\"clusterEnabled\":true}",
                AgentReport.class);
        return report.withClusterNodes(ClusterNodesParser.parse(ME + " 10.0.0.4:6379@16379 myself,master - 0 0 5 connected " + slots + "\n"));
    }

    @Test
    void servingNothingCountsFromTheFirstReportWithoutSlotsAndStopsWhileItServesSome() {
        AgentRegistry registry = new AgentRegistry();

        registry.record(serving("0-100"), T0);
        assertNull(registry.get("redis-3").orElseThrow().servingNothingSince(), "it serves slots");

        registry.record(serving(""), T0.plusSeconds(1));
        registry.record(serving(""), T0.plusSeconds(3));
        assertEquals(T0.plusSeconds(1), registry.get("redis-3").orElseThrow().servingNothingSince(), "the clock keeps running");

        registry.record(serving("[7->-" + TARGET + "]"), T0.plusSeconds(4));
        assertNull(registry.get("redis-3").orElseThrow().servingNothingSince(), "a slot open here is not nothing");

        registry.record(serving(""), T0.plusSeconds(6));
        assertEquals(T0.plusSeconds(6), registry.get("redis-3").orElseThrow().servingNothingSince(), "a new clock after a break");
    }
}
