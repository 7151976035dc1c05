package io.warden.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture itself: real processes on loopback, restarts that keep data, and cleanup. */
class RedisServerIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void startsOnALoopbackAddressAndAnswers() {
        RedisServer server = redis.start(RedisSpec.standalone());
        assertTrue(server.host().startsWith("127.0.0."));
        assertEquals("PONG", server.commands().ping());
    }

    @Test
    void restartAtANewAddressKeepsTheDataWhenPersistent() {
        RedisServer server = redis.start(RedisSpec.standalone().withPersistence());
        server.commands().set("survives", "yes");
        String before = server.address();
        server.restartAt(LoopbackPorts.freeAddress());
        assertNotEquals(before, server.address());
        assertEquals("yes", server.commands().get("survives"));
    }

    @Test
    void killedServerIsGoneAndCanStartAgain() {
        RedisServer server = redis.start(RedisSpec.standalone());
        server.kill();
        assertFalse(server.running());
        server.start();
        assertEquals("PONG", server.commands().ping());
    }

    @Test
    void closeRemovesTheProcessAndItsDirectory() {
        RedisServer server = redis.start(RedisSpec.standalone());
        Path dir = server.dataDir();
        redis.close();
        assertFalse(server.running());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aMissingProgramNamesThePackageToInstall() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisBinaries.find("no-such-redis-tool", "redis-tools"));
        assertTrue(e.getMessage().contains("install the Debian package redis-tools"), e.getMessage());
    }
}
