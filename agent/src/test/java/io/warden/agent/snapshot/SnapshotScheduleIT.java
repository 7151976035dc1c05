package io.warden.agent.snapshot;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warden.agent.AgentConfig.RedisEndpoint;
import io.warden.agent.redis.RedisNode;
import io.warden.common.snapshot.S3Settings;
import io.warden.common.snapshot.SnapshotKey;
import io.warden.common.snapshot.SnapshotTarget;
import io.warden.common.snapshot.StoredSnapshot;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schedule and retention, driven by a clock the test moves, against a real Redis and a file target. */
class SnapshotScheduleIT {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    final RedisServers redis = new RedisServers();
    @TempDir
    Path tmp;

    /** A clock that moves only when told. */
    static final class TestClock extends Clock {
        private volatile Instant now = T0;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void snapshotsEveryIntervalAndKeepsTheNewestGoodOnes() throws Exception {
        RedisServer server = redis.start(RedisSpec.standalone());
        server.commands().set("k", "v");
        TestClock clock = new TestClock();
        SnapshotSettings settings = new SnapshotSettings(Optional.of(SnapshotTarget.parse("t", tmp.toUri().toString())),
                Optional.of(Duration.ofHours(1)), 2, "sched", new S3Settings(Optional.empty(), "us-east-1", false), Duration.ofMinutes(1));
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        RedisNode node = new RedisNode(new RedisEndpoint(server.host(), server.port(), Optional.empty(), Duration.ofSeconds(2)), resources, clock);
        try (SnapshotService service = new SnapshotService(settings, Optional.empty(), node,
                () -> node.observe().toCompletableFuture().join(), "redis-0", clock, new SimpleMeterRegistry())) {
            service.tick();
            assertTrue(service.running().isEmpty(), "nothing is due before one interval passed");

            for (int hour = 1; hour <= 3; hour++) {
                clock.advance(Duration.ofMinutes(59));
                service.tick();
                assertTrue(service.running().isEmpty(), "not due at 59 minutes");
                clock.advance(Duration.ofMinutes(1));
                service.tick();
                assertTrue(service.running().isPresent(), "due after an hour");
                Eventually.await(Duration.ofSeconds(30), "scheduled snapshot " + hour, () -> service.running().isEmpty());
                assertEquals("succeeded", service.jobs().get(0).state(), service.jobs().get(0).toString());
                assertEquals("schedule", service.jobs().get(0).trigger());
            }
            List<StoredSnapshot> kept = service.stored();
            assertEquals(List.of(SnapshotKey.at("sched", "shard-0", T0.plus(Duration.ofHours(3))),
                    SnapshotKey.at("sched", "shard-0", T0.plus(Duration.ofHours(2)))), kept.stream().map(StoredSnapshot::key).toList());
            assertTrue(kept.stream().allMatch(StoredSnapshot::good));

            // A snapshot asked for through the API counts as the latest: the schedule waits an interval from it.
            clock.advance(Duration.ofMinutes(30));
            assertTrue(service.request(Optional.empty(), "api") instanceof SnapshotService.Started);
            Eventually.await(Duration.ofSeconds(30), "requested snapshot", () -> service.running().isEmpty());
            clock.advance(Duration.ofMinutes(45));
            service.tick();
            assertTrue(service.running().isEmpty(), "45 minutes after the last snapshot nothing is due");
        } finally {
            node.close();
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals(Duration.ofMinutes(90), SnapshotSettings.duration("V", "1h30m"));
        assertEquals(Duration.ofSeconds(45), SnapshotSettings.duration("V", "45s"));
        assertEquals(Duration.ofDays(1), SnapshotSettings.duration("V", "1d"));
        for (String bad : new String[] {"", "1", "h", "0m", "1h junk", "-1h"}) {
            io.warden.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.warden.common.config.ConfigException.class, () -> SnapshotSettings.duration("WARDEN_SNAPSHOT_INTERVAL", bad));
            assertTrue(e.getMessage().contains("WARDEN_SNAPSHOT_INTERVAL"), e.getMessage());
        }
    }
}
