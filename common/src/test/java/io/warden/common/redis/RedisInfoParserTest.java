package io.warden.common.redis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO as Redis 7.0.15 printed it (CRLF, section headers, blank lines), captured under {@code redis7/}. */
class RedisInfoParserTest {

    static String redis7(String file) {
        try (InputStream in = RedisInfoParserTest.class.getResourceAsStream("/redis7/" + file)) {
            assertNotNull(in, "missing test resource redis7/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final RedisInfo MASTER = RedisInfoParser.parse(redis7("info-master.txt"));
    private static final RedisInfo REPLICA = RedisInfoParser.parse(redis7("info-replica.txt"));

    @Test
    void capturedFilesKeepRedisCrlfLineEndings() {
        assertTrue(redis7("info-master.txt").contains("\r\n"));
    }

    @Test
    void masterReportsMasterRoleAndVersion() {
        assertEquals(Role.MASTER, MASTER.role());
        assertEquals("master", MASTER.role().wireName());
        assertEquals("7.0.15", MASTER.version());
    }

    @Test
    void valuesCarryNoTrailingCarriageReturn() {
        assertEquals(Optional.of("noeviction"), MASTER.string("maxmemory_policy"));
        assertEquals(Optional.of("standalone"), MASTER.string("redis_mode"));
    }

    @Test
    void keyspaceListsOnlyTheDatabasesRedisReports() {
        assertEquals(List.of(new KeyspaceEntry(0, 3, 1, 95498), new KeyspaceEntry(2, 1, 0, 0)), MASTER.keyspace());
        assertEquals("db0", MASTER.keyspace().get(0).label());
        assertEquals("db2", MASTER.keyspace().get(1).label());
    }

    @Test
    void keyCountSumsEveryDatabase() {
        assertEquals(4, MASTER.keyCount());
    }

    @Test
    void masterListsItsOnlineReplica() {
        assertEquals(List.of(new ReplicaLink("127.0.0.1", 17002, "online", 175, 0)), MASTER.replicas());
        assertTrue(MASTER.replicas().get(0).online());
    }

    @Test
    void replicaInAnotherStateIsNotOnline() {
        RedisInfo info = RedisInfoParser.parse("role:master\r\nslave0:ip=10.0.0.2,port=6379,state=wait_bgsave,offset=0,lag=3\r\n");
        ReplicaLink link = info.replicas().get(0);
        assertFalse(link.online());
        assertEquals("wait_bgsave", link.state());
        assertEquals(3, link.lagSeconds());
    }

    @Test
    void masterHasNoMasterLinkAndNoMasterAddress() {
        assertFalse(MASTER.masterLinkUp());
        assertEquals(Optional.empty(), MASTER.masterHost());
        assertEquals(OptionalLong.empty(), MASTER.masterPort());
    }

    @Test
    void masterOffsetIsMasterReplOffset() {
        assertEquals(175, MASTER.replicationOffset());
    }

    @Test
    void replicaReportsReplicaRoleWithLinkUp() {
        assertEquals(Role.REPLICA, REPLICA.role());
        assertEquals("replica", REPLICA.role().wireName());
        assertTrue(REPLICA.masterLinkUp());
        assertEquals(Optional.of("127.0.0.21"), REPLICA.masterHost());
        assertEquals(OptionalLong.of(17001), REPLICA.masterPort());
        assertTrue(REPLICA.replicas().isEmpty());
    }

    @Test
    void replicaOffsetIsSlaveReplOffsetNotItsOwnStream() {
        RedisInfo info = RedisInfoParser.parse("role:slave\r\nslave_repl_offset:100\r\nmaster_repl_offset:250\r\n");
        assertEquals(100, info.replicationOffset());
        assertEquals(175, REPLICA.replicationOffset());
    }

    @Test
    void replicaWithLinkDownFromReplicationSectionOnly() {
        RedisInfo info = RedisInfoParser.parse(redis7("info-replica-linkdown.txt"));
        assertEquals(Role.REPLICA, info.role());
        assertFalse(info.masterLinkUp());
        assertEquals(Optional.of("127.0.0.21"), info.masterHost());
        assertEquals(OptionalLong.of(17001), info.masterPort());
        assertEquals(OptionalLong.of(2), info.longValue("master_link_down_since_seconds"));
        assertEquals("unknown", info.version());
        assertTrue(info.keyspace().isEmpty());
    }

    @Test
    void clusterNodeReportsClusterEnabled() {
        RedisInfo info = RedisInfoParser.parse(redis7("info-cluster.txt"));
        assertTrue(info.clusterEnabled());
        assertFalse(MASTER.clusterEnabled());
        assertTrue(info.keyspace().isEmpty());
        assertEquals(0, info.keyCount());
    }

    @Test
    void notLoadingUnlessLoadingIsOne() {
        assertFalse(MASTER.loading());
        assertTrue(RedisInfoParser.parse("loading:1\r\n").loading());
    }

    @Test
    void maxmemoryIsZeroWhenUnlimitedAndTheSettingOtherwise() {
        assertEquals(0, MASTER.maxmemory());
        assertEquals(1073741824L, RedisInfoParser.parse("maxmemory:1073741824\r\n").maxmemory());
    }

    @Test
    void missingFieldHasNoLongValue() {
        assertEquals(OptionalLong.empty(), MASTER.longValue("no_such_field"));
        assertEquals(Optional.empty(), MASTER.string("no_such_field"));
    }

    @Test
    void nonNumericFieldHasNoLongValue() {
        assertEquals(OptionalLong.empty(), MASTER.longValue("used_memory_human"));
        assertEquals(OptionalLong.empty(), MASTER.longValue("maxmemory_policy"));
    }

    @Test
    void negativeAndFractionalFieldsAreRead() {
        assertEquals(OptionalLong.of(-1), MASTER.longValue("second_repl_offset"));
        assertEquals(6.46, MASTER.doubleValue("mem_fragmentation_ratio").orElseThrow(), 1e-9);
    }

    @Test
    void valuesMayContainColons() {
        RedisInfo info = RedisInfoParser.parse("executable:/tmp/x:y/redis-server\r\n");
        assertEquals(Optional.of("/tmp/x:y/redis-server"), info.string("executable"));
    }

    @Test
    void lfOnlyInputParsesLikeCrlf() {
        RedisInfo info = RedisInfoParser.parse(redis7("info-master.txt").replace("\r\n", "\n"));
        assertEquals(MASTER, info);
    }

    @Test
    void emptyReplyParsesToNothing() {
        RedisInfo info = RedisInfoParser.parse("");
        assertTrue(info.fields().isEmpty());
        assertTrue(info.keyspace().isEmpty());
        assertTrue(info.replicas().isEmpty());
        assertEquals(Role.MASTER, info.role());
        assertEquals("unknown", info.version());
        assertEquals(0, info.replicationOffset());
    }
}
