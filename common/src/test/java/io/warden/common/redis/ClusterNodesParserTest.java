package io.warden.common.redis;

import io.warden.common.slots.SlotRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.warden.common.redis.RedisInfoParserTest.redis7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLUSTER NODES as Redis 7.0.15 printed it (files under {@code redis7/}), plus hand-written lines for other shapes. */
class ClusterNodesParserTest {

    private static final String ID_7361 = "73615461d769b7c26fcc772f722e2f9d7930449e";
    private static final String ID_52C4 = "52c45dd90b79396b873c2eb75203fed6aacd1b67";
    private static final String ID_54F6 = "54f66f9ed2b5b1c03cd1280cca19435591b8043f";
    private static final String ID_30F3 = "30f31efc078c1a4879d099e80d5cbdb0ebbafd33";

    private static ClusterNodeEntry only(String line) {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(line);
        assertEquals(1, nodes.size());
        return nodes.get(0);
    }

    @Test
    void migratingFileHasThreeNodesInOrder() {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(redis7("cluster-nodes-migrating.txt"));
        assertEquals(List.of(ID_7361, ID_52C4, ID_54F6), nodes.stream().map(ClusterNodeEntry::id).toList());
    }

    @Test
    void migratingSlotOnMyselfLineIsParsed() {
        ClusterNodeEntry me = ClusterNodesParser.parse(redis7("cluster-nodes-migrating.txt")).get(0);
        assertEquals(ID_7361, me.id());
        assertTrue(me.myself());
        assertTrue(me.master());
        assertFalse(me.replica());
        assertFalse(me.failing());
        assertFalse(me.handshake());
        assertEquals(Set.of("myself", "master"), me.flags());
        assertNull(me.masterId());
        assertEquals(0, me.configEpoch());
        assertTrue(me.connected());
        assertEquals(List.of(SlotRange.of(0, 8191)), me.slots());
        assertEquals(List.of(new OpenSlot(100, OpenSlot.Direction.MIGRATING, ID_52C4)), me.openSlots());
    }

    @Test
    void freshMyselfLineHasEmptyHostButKeepsPort() {
        ClusterNodeEntry me = ClusterNodesParser.parse(redis7("cluster-nodes-migrating.txt")).get(0);
        assertEquals("", me.host());
        assertEquals(17201, me.port());
        assertEquals(":17201", me.address());
    }

    @Test
    void peerMasterWithoutSlotsHasHostPortAndNoSlots() {
        ClusterNodeEntry peer = ClusterNodesParser.parse(redis7("cluster-nodes-migrating.txt")).get(1);
        assertEquals(ID_52C4, peer.id());
        assertEquals("127.0.0.42", peer.host());
        assertEquals(17202, peer.port());
        assertEquals("127.0.0.42:17202", peer.address());
        assertTrue(peer.master());
        assertFalse(peer.myself());
        assertTrue(peer.connected());
        assertEquals(List.of(), peer.slots());
        assertEquals(List.of(), peer.openSlots());
    }

    @Test
    void importingSideSeesItselfServingTheUpperHalf() {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(redis7("cluster-nodes-importing.txt"));
        assertEquals(2, nodes.size());
        ClusterNodeEntry me = nodes.get(1);
        assertEquals(ID_52C4, me.id());
        assertEquals("127.0.0.42", me.host());
        assertEquals(17202, me.port());
        assertTrue(me.myself());
        assertTrue(me.master());
        assertTrue(me.connected());
        assertEquals(List.of(SlotRange.of(8192, 16383)), me.slots());
        assertEquals(List.of(), me.openSlots());
    }

    @Test
    void handshakeNodeIsDisconnectedAndNeitherMasterNorReplica() {
        ClusterNodeEntry handshake = ClusterNodesParser.parse(redis7("cluster-nodes-importing.txt")).get(0);
        assertEquals(ID_30F3, handshake.id());
        assertEquals("127.0.0.1", handshake.host());
        assertEquals(17201, handshake.port());
        assertTrue(handshake.handshake());
        assertFalse(handshake.master());
        assertFalse(handshake.replica());
        assertFalse(handshake.myself());
        assertFalse(handshake.failing());
        assertNull(handshake.masterId());
        assertFalse(handshake.connected());
        assertEquals(List.of(), handshake.slots());
    }

    @Test
    void disconnectedNodeIsNotConnectedButNotYetFailing() {
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(redis7("cluster-nodes-replica-down.txt"));
        assertEquals(3, nodes.size());
        ClusterNodeEntry down = nodes.get(2);
        assertEquals(ID_54F6, down.id());
        assertEquals("127.0.0.43", down.host());
        assertEquals(17203, down.port());
        assertFalse(down.connected());
        assertFalse(down.failing());
        assertTrue(down.master());
        assertEquals(List.of(SlotRange.of(8192, 16383)), nodes.get(1).slots());
        assertTrue(nodes.get(1).connected());
    }

    @Test
    void replicaLineCarriesItsMasterId() {
        ClusterNodeEntry replica = only(
                "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 10.0.0.6:6379@16379 slave " + ID_52C4 + " 0 1426238317239 4 connected");
        assertTrue(replica.replica());
        assertFalse(replica.master());
        assertEquals(ID_52C4, replica.masterId());
        assertEquals(4, replica.configEpoch());
        assertEquals(List.of(), replica.slots());
    }

    @Test
    void suspectedFailureFlagCountsAsFailing() {
        ClusterNodeEntry node = only(ID_54F6 + " 10.0.0.7:6379@16379 master,fail? - 1426238316232 1426238315000 3 disconnected 0-5460");
        assertTrue(node.failing());
        assertTrue(node.master());
        assertEquals(Set.of("master", "fail?"), node.flags());
        assertFalse(node.connected());
    }

    @Test
    void agreedFailureFlagCountsAsFailing() {
        ClusterNodeEntry node = only(ID_54F6 + " 10.0.0.7:6379@16379 slave,fail " + ID_52C4 + " 1426238316232 1426238315000 3 disconnected");
        assertTrue(node.failing());
        assertTrue(node.replica());
        assertEquals(ID_52C4, node.masterId());
    }

    @Test
    void redis7AddressWithHostnameKeepsIpAndPort() {
        ClusterNodeEntry node = only(ID_7361 + " 10.0.0.5:6379@16379,redis-0.redis master - 0 1426238316232 2 connected 5461-10922");
        assertEquals("10.0.0.5", node.host());
        assertEquals(6379, node.port());
        assertEquals("10.0.0.5:6379", node.address());
        assertEquals(2, node.configEpoch());
    }

    @Test
    void addressWithoutBusPortIsParsed() {
        ClusterNodeEntry node = only(ID_7361 + " 10.0.0.5:6379 master - 0 0 1 connected");
        assertEquals("10.0.0.5", node.host());
        assertEquals(6379, node.port());
    }

    @Test
    void multipleRangesAndSingleSlotsAreKeptInOrder() {
        ClusterNodeEntry node = only(ID_7361 + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 0-100 200 300-400");
        assertEquals(List.of(SlotRange.of(0, 100), SlotRange.of(200, 200), SlotRange.of(300, 400)), node.slots());
    }

    @Test
    void importingTokenNamesTheSourcePeer() {
        ClusterNodeEntry node = only(ID_52C4 + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 8192-16383 [5-<-" + ID_7361 + "]");
        assertEquals(List.of(new OpenSlot(5, OpenSlot.Direction.IMPORTING, ID_7361)), node.openSlots());
        assertEquals(List.of(SlotRange.of(8192, 16383)), node.slots());
    }

    @Test
    void severalOpenSlotsMixedWithRangesAreSeparated() {
        ClusterNodeEntry node = only(ID_7361 + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 0-99 [100->-" + ID_52C4
                + "] 101-200 [16000-<-" + ID_54F6 + "]");
        assertEquals(List.of(SlotRange.of(0, 99), SlotRange.of(101, 200)), node.slots());
        assertEquals(List.of(new OpenSlot(100, OpenSlot.Direction.MIGRATING, ID_52C4),
                new OpenSlot(16000, OpenSlot.Direction.IMPORTING, ID_54F6)), node.openSlots());
    }

    @Test
    void crlfInputParsesLikeLf() {
        String lf = redis7("cluster-nodes-migrating.txt");
        String crlf = lf.replace("\n", "\r\n");
        assertEquals(ClusterNodesParser.parse(lf), ClusterNodesParser.parse(crlf));
        ClusterNodeEntry me = ClusterNodesParser.parse(crlf).get(0);
        assertEquals(ID_52C4, me.openSlots().get(0).peerNodeId());
        assertTrue(ClusterNodesParser.parse(crlf).get(2).connected());
    }

    @Test
    void blankLinesAreSkipped() {
        String text = "\n\n" + ID_7361 + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 0-16383\r\n\r\n   \n";
        List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(text);
        assertEquals(1, nodes.size());
        assertEquals(List.of(SlotRange.of(0, 16383)), nodes.get(0).slots());
    }

    @Test
    void emptyOutputIsNoNodes() {
        assertEquals(List.of(), ClusterNodesParser.parse(""));
    }

    @Test
    void truncatedLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClusterNodesParser.parse(ID_7361 + " 10.0.0.5:6379@16379 master - 0 0"));
    }

    @Test
    void parsedEntryIsImmutable() {
        ClusterNodeEntry me = ClusterNodesParser.parse(redis7("cluster-nodes-migrating.txt")).get(0);
        assertThrows(UnsupportedOperationException.class, () -> me.slots().add(SlotRange.of(1, 1)));
        assertThrows(UnsupportedOperationException.class, () -> me.flags().add("fail"));
    }
}
