package io.warden.agent.memory;

import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryGuardTest {

    private static final RedisInfo NO_MAXMEMORY = RedisInfoParser.parse("maxmemory:0\r\nrun_id:abc\r\n");
    private static final RedisInfo MAXMEMORY_SET = RedisInfoParser.parse("maxmemory:104857600\r\nrun_id:abc\r\n");
    private static final OptionalLong ONE_GIB = OptionalLong.of(1L << 30);

    @Test
    void noMaxmemoryWithKnownLimitTargetsTheRatioOfIt() {
        assertEquals(OptionalLong.of(805306368L), MemoryGuard.target(NO_MAXMEMORY, ONE_GIB, 0.75));
    }

    @Test
    void targetIsRoundedDownToWholeBytes() {
        assertEquals(OptionalLong.of(333), MemoryGuard.target(NO_MAXMEMORY, OptionalLong.of(1000), 0.3333));
    }

    @Test
    void maxmemorySomeoneSetIsLeftAlone() {
        assertEquals(OptionalLong.empty(), MemoryGuard.target(MAXMEMORY_SET, ONE_GIB, 0.75));
    }

    @Test
    void noKnownLimitSetsNothing() {
        assertEquals(OptionalLong.empty(), MemoryGuard.target(NO_MAXMEMORY, OptionalLong.empty(), 0.75));
    }

    @Test
    void ratioZeroSetsNothing() {
        assertEquals(OptionalLong.empty(), MemoryGuard.target(NO_MAXMEMORY, ONE_GIB, 0));
    }

    @Test
    void infoWithoutMaxmemoryFieldCountsAsUnset() {
        assertEquals(OptionalLong.of(1L << 29), MemoryGuard.target(RedisInfoParser.parse("run_id:abc\r\n"), ONE_GIB, 0.5));
    }
}
