package io.warden.common.redis;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static io.warden.common.redis.RedisInfoParserTest.redis7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLUSTER INFO as Redis 7.0.15 printed it, captured under {@code redis7/}. */
class ClusterInfoTest {

    @Test
    void allSlotsAssignedIsStateOk() {
        ClusterInfo info = ClusterInfo.parse(redis7("cluster-info-ok.txt"));
        assertTrue(info.stateOk());
        assertEquals("ok", info.state());
        assertEquals(OptionalLong.of(16384), info.longValue("cluster_slots_assigned"));
        assertEquals(OptionalLong.of(16384), info.longValue("cluster_slots_ok"));
        assertEquals(OptionalLong.of(1), info.longValue("cluster_size"));
    }

    @Test
    void noSlotsAssignedIsStateFail() {
        ClusterInfo info = ClusterInfo.parse(redis7("cluster-info-fail.txt"));
        assertFalse(info.stateOk());
        assertEquals("fail", info.state());
        assertEquals(OptionalLong.of(0), info.longValue("cluster_slots_assigned"));
        assertEquals(OptionalLong.of(1), info.longValue("cluster_known_nodes"));
    }

    @Test
    void missingStateIsUnknownAndNotOk() {
        ClusterInfo info = ClusterInfo.parse("");
        assertFalse(info.stateOk());
        assertEquals("unknown", info.state());
        assertTrue(info.fields().isEmpty());
    }

    @Test
    void missingOrNonNumericFieldHasNoLongValue() {
        ClusterInfo info = ClusterInfo.parse(redis7("cluster-info-ok.txt"));
        assertEquals(OptionalLong.empty(), info.longValue("no_such_field"));
        assertEquals(OptionalLong.empty(), info.longValue("cluster_state"));
    }

    @Test
    void lfOnlyInputParsesLikeCrlf() {
        String crlf = redis7("cluster-info-ok.txt");
        assertEquals(ClusterInfo.parse(crlf), ClusterInfo.parse(crlf.replace("\r\n", "\n")));
    }

    @Test
    void singleLineWithoutTerminatorParses() {
        assertEquals("fail", ClusterInfo.parse("cluster_state:fail").state());
    }
}
