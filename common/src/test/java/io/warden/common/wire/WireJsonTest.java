package io.warden.common.wire;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.OpenSlot;
import io.warden.common.slots.SlotRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireJsonTest {

    private static final String ID_A = "73615461d769b7c26fcc772f722e2f9d7930449e";
    private static final String ID_B = "52c45dd90b79396b873c2eb75203fed6aacd1b67";

    private static AgentReport clusterReport() {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(
                ID_A + " :17201@27201 myself,master - 0 0 0 connected 0-8191 9000 [100->-" + ID_B + "]\n"
                        + ID_B + " 10.0.0.6:6379@16379,redis-1.redis slave,fail? " + ID_A + " 0 1795291380926 3 disconnected\n");
        return new AgentReport("redis-0", "10.0.0.5:6379", "http://10.0.0.5:8080", "node-a", "zone-1",
                true, null, "master", 123456789012L, null, false, 42, true, true, ID_A,
                nodes, 7, new InstructionResult("i-1", true, "met 10.0.0.6:6379", 3), 3, ClusterViewDigest.of(nodes), "ok");
    }

    private static String badInput(String json, Class<?> type) {
        return assertThrows(BadInput.class, () -> WireJson.decode(json, type)).getMessage();
    }

    @Test
    void agentReportWithClusterNodesAndResultRoundTrips() {
        AgentReport report = clusterReport();
        AgentReport decoded = WireJson.decode(WireJson.encode(report), AgentReport.class);
        assertEquals(report, decoded);
        ClusterNodeEntry me = decoded.clusterNodes().get(0);
        assertEquals(List.of(SlotRange.of(0, 8191), SlotRange.of(9000, 9000)), me.slots());
        assertEquals(List.of(new OpenSlot(100, OpenSlot.Direction.MIGRATING, ID_B)), me.openSlots());
        assertEquals(Set.of("myself", "master"), me.flags());
        assertEquals("", me.host());
        assertEquals(ID_A, decoded.clusterNodes().get(1).masterId());
        assertEquals(new InstructionResult("i-1", true, "met 10.0.0.6:6379", 3), decoded.lastResult());
    }

    @Test
    void minimalAgentReportDecodesWithDefaults() {
        AgentReport report = WireJson.decode("{\"name\":\"redis-0\",\"redisUp\":false,\"replicationOffset\":0,\"linkUp\":false,"
                + "\"keys\":0,\"dataAtStart\":false,\"clusterEnabled\":false,\"epochSeen\":0}", AgentReport.class);
        assertEquals("redis-0", report.name());
        assertFalse(report.redisUp());
        assertEquals(List.of(), report.clusterNodes());
        assertEquals("", report.zone());
        assertEquals("", report.k8sNode());
        assertEquals(0, report.replicationOffset());
        assertNull(report.lastResult());
    }

    @Test
    void numberASenderDoesNotKnowYetReadsAsZero() {
        // An agent of the previous release sends no appliedThrough: the coordinator still hears it.
        assertEquals(0, WireJson.decode("{\"leader\":\"c-1\"}", HeartbeatReply.class).epoch());
    }

    @Test
    void instructionWithActionRoundTrips() {
        Instruction instruction = new Instruction("meet-redis-1", 3, Action.CLUSTER_MEET, Map.of("host", "10.0.0.6", "port", "6379"));
        String json = WireJson.encode(instruction);
        assertTrue(json.contains("\"action\":\"CLUSTER_MEET\""), json);
        assertEquals(instruction, WireJson.decode(json, Instruction.class));
    }

    @Test
    void everyActionRoundTripsByName() {
        for (Action action : Action.values()) {
            Instruction instruction = new Instruction("id", 1, action, Map.of());
            assertEquals(action, WireJson.decode(WireJson.encode(instruction), Instruction.class).action());
        }
    }

    @Test
    void heartbeatReplyRoundTrips() {
        HeartbeatReply reply = new HeartbeatReply(5, "coordinator-1");
        assertEquals(reply, WireJson.decode(WireJson.encode(reply), HeartbeatReply.class));
    }

    @Test
    void encodeOmitsNullFields() {
        assertEquals("{\"epoch\":5}", WireJson.encode(new HeartbeatReply(5, null)));
        assertEquals("{\"id\":\"i-1\",\"ok\":false,\"sequence\":0}", WireJson.encode(new InstructionResult("i-1", false, null)));
        String report = WireJson.encode(clusterReport());
        assertFalse(report.contains("redisError"), report);
        assertFalse(report.contains("masterAddress"), report);
        assertFalse(report.contains("\"masterId\":null"), report);
        assertTrue(report.contains("\"masterId\":\"" + ID_A + "\""), report);
    }

    @Test
    void unknownFieldsAreIgnored() {
        HeartbeatReply reply = WireJson.decode("{\"epoch\":5,\"leader\":\"c-1\",\"newerField\":{\"x\":[1,2]}}", HeartbeatReply.class);
        assertEquals(new HeartbeatReply(5, "c-1"), reply);
    }

    @Test
    void stringForALongIsRefusedNamingTheField() {
        assertEquals("field 'replicationOffset': expected a whole number",
                badInput("{\"name\":\"redis-0\",\"replicationOffset\":\"12\"}", AgentReport.class));
    }

    @Test
    void numberForAStringIsRefusedNamingTheField() {
        assertEquals("field 'name': expected a string", badInput("{\"name\":12}", AgentReport.class));
    }

    @Test
    void stringForABooleanIsRefusedNamingTheField() {
        assertEquals("field 'redisUp': expected true or false", badInput("{\"redisUp\":\"true\"}", AgentReport.class));
    }

    @Test
    void nullForAPrimitiveReadsAsZero() {
        assertEquals(0, WireJson.decode("{\"epoch\":null,\"leader\":\"c-1\"}", HeartbeatReply.class).epoch());
    }

    @Test
    void unknownActionIsRefusedListingTheActions() {
        String message = badInput("{\"id\":\"x\",\"epoch\":1,\"action\":\"EXPLODE\"}", Instruction.class);
        assertTrue(message.startsWith("field 'action': expected one of ["), message);
        assertTrue(message.contains("CLUSTER_MEET") && message.contains("PROMOTE"), message);
    }

    @Test
    void actionGivenAsNumberIsRefused() {
        String message = badInput("{\"id\":\"x\",\"epoch\":1,\"action\":0}", Instruction.class);
        assertTrue(message.startsWith("field 'action': "), message);
    }

    @Test
    void wrongTypeDeepInsideIsNamedByPath() {
        String json = "{\"clusterNodes\":[{\"id\":\"a\",\"host\":\"h\",\"port\":\"6379\",\"flags\":[],\"slots\":[],\"openSlots\":[]}]}";
        assertEquals("field 'clusterNodes[0].port': expected a whole number", badInput(json, AgentReport.class));
    }

    @Test
    void objectWhereAnArrayBelongsIsRefused() {
        assertEquals("field 'clusterNodes': expected an array", badInput("{\"clusterNodes\":{}}", AgentReport.class));
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        String message = badInput("{\n  \"name\": \"redis-0\",\n  oops\n}", AgentReport.class);
        assertTrue(message.startsWith("malformed JSON at line 3, column "), message);
    }

    @Test
    void truncatedJsonIsMalformed() {
        assertTrue(badInput("{\"name\": ", AgentReport.class).startsWith("malformed JSON at line 1"));
    }

    @Test
    void emptyBodyIsRefused() {
        assertEquals("the request body is empty; expected a JSON object", badInput("", AgentReport.class));
        assertEquals("the request body is empty; expected a JSON object", badInput("  \n", AgentReport.class));
        assertEquals("the request body is empty; expected a JSON object", badInput(null, AgentReport.class));
    }

    @Test
    void jsonNullIsRefused() {
        assertEquals("expected a JSON object, got null", badInput("null", AgentReport.class));
    }

    @Test
    void arrayInsteadOfObjectIsRefused() {
        assertEquals("expected a JSON object", badInput("[{\"name\":\"redis-0\"}]", AgentReport.class));
    }

    @Test
    void trailingGarbageAfterTheObjectIsRefused() {
        assertEquals("malformed JSON at line 1, column 13", badInput("{\"epoch\":1} x", HeartbeatReply.class));
        // A second value after the object is refused too (today worded "expected a JSON object").
        badInput("{\"epoch\":1} {\"epoch\":2}", HeartbeatReply.class);
    }

    @Test
    void missingArgumentNamesThePortOfAClusterMeet() {
        Instruction meet = new Instruction("i", 1, Action.CLUSTER_MEET, Map.of("host", "10.0.0.6"));
        assertEquals(Optional.of("port"), meet.missingArgument());
    }

    @Test
    void missingArgumentNamesTheFirstOfSeveralMissing() {
        assertEquals(Optional.of("host"), new Instruction("i", 1, Action.CLUSTER_MEET, null).missingArgument());
        assertEquals(Optional.of("targetHost"), new Instruction("i", 1, Action.CLUSTER_FINISH_MIGRATION, Map.of("slot", "100")).missingArgument());
    }

    @Test
    void blankArgumentCountsAsMissing() {
        Instruction meet = new Instruction("i", 1, Action.CLUSTER_MEET, Map.of("host", " ", "port", "6379"));
        assertEquals(Optional.of("host"), meet.missingArgument());
    }

    @Test
    void completeArgumentsAreNotMissing() {
        assertEquals(Optional.empty(), new Instruction("i", 1, Action.CLUSTER_MEET, Map.of("host", "h", "port", "1")).missingArgument());
        assertEquals(Optional.empty(), new Instruction("i", 1, Action.PROMOTE, null).missingArgument());
        assertEquals(Optional.empty(), new Instruction("i", 1, Action.CLUSTER_SETSLOT_NODE,
                Map.of("slot", "5", "nodeId", ID_A, "extra", "ignored")).missingArgument());
    }

    @Test
    void decodedInstructionWithoutArgsReportsTheMissingOne() {
        Instruction instruction = WireJson.decode("{\"id\":\"r\",\"epoch\":2,\"action\":\"CLUSTER_REPLICATE\"}", Instruction.class);
        assertEquals(Map.of(), instruction.args());
        assertEquals(Optional.of("masterNodeId"), instruction.missingArgument());
    }

    @Test
    void decodedInstructionWithoutActionReportsActionMissing() {
        Instruction instruction = WireJson.decode("{\"id\":\"r\",\"epoch\":2}", Instruction.class);
        assertEquals(Optional.of("action"), instruction.missingArgument());
    }
}
