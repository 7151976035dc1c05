package io.warden.agent.actions;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.warden.agent.AgentConfig.RedisEndpoint;
import io.warden.agent.redis.RedisNode;
import io.warden.testkit.ClusterLoader;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisStats;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slot migration against two real cluster nodes: large keys, slots half-moved by someone else, many slots at once, the
 * source's replica, and the keys moved inside Redis or, with a password or the script refused, through the agent.
 */
class SlotMigratorIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private ClientResources resources;
    private RedisNode sourceNode;
    private RedisServer source;
    private RedisServer target;
    private String targetId;

    @BeforeEach
    void twoNodeCluster() {
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        join(RedisSpec.standalone().clusterEnabled());
    }

    /** Starts a source holding every slot and an empty target, both from {@code spec}, and knowing each other. */
    private void join(RedisSpec spec) {
        source = redis.start(spec);
        target = redis.start(spec);
        source.commands().clusterAddSlotsRange(Range.create(0, 16383));
        source.commands().clusterMeet(target.host(), target.port());
        targetId = target.commands().clusterMyId();
        String sourceId = source.commands().clusterMyId();
        Eventually.await(Duration.ofSeconds(10), "the two nodes to know each other",
                () -> target.commands().clusterNodes().contains(sourceId) && source.commands().clusterNodes().contains(targetId)
                        && !target.commands().clusterNodes().contains("handshake")
                        && source.commands().clusterInfo().contains("cluster_state:ok")
                        && target.commands().clusterInfo().contains("cluster_state:ok"));
        sourceNode = new RedisNode(new RedisEndpoint(source.host(), source.port(), spec.password(), Duration.ofSeconds(2)), resources,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        sourceNode.close();
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aKeyOfSixtyMegabytesMovesWithItsSlot() throws Exception {
        String big = "{big}value";
        int slot = (int) source.commands().clusterKeyslot(big).longValue();
        source.commands().set(big, "x".repeat(60 * 1024 * 1024));
        for (int i = 0; i < 500; i++) {
            source.commands().set("{big}small:" + i, "v" + i);
        }

        String result = migrate(List.of(slot));

        assertTrue(result.startsWith("moved 1 of 1 slots (501 keys)"), result);
        assertEquals(60L * 1024 * 1024, target.commands().strlen(big));
        assertEquals(0, source.commands().clusterCountKeysInSlot(slot));
        assertOwnedByTargetAndClosed(slot);
    }

    @Test
    void aSlotWhoseTargetAlreadyHoldsSomeKeysIsFinishedWithoutLosingAny() throws Exception {
        int slot = (int) source.commands().clusterKeyslot("{half}").longValue();
        for (int i = 0; i < 1000; i++) {
            source.commands().set("{half}" + i, "v" + i);
        }
        // What a crash leaves: both sides open and the first keys already on the target.
        openWithFirstKeysMoved(slot, 300);

        String result = finish(slot);

        assertTrue(result.startsWith("moved 1 of 1 slots (700 keys)"), result);
        assertEquals(1000, target.commands().clusterCountKeysInSlot(slot));
        assertOwnedByTargetAndClosed(slot);
    }

    @Test
    void manySlotsMoveInOneInstructionAndEveryOneEndsClosed() throws Exception {
        RedisCommands<String, String> c = source.commands();
        ClusterLoader.load(List.of(new java.net.InetSocketAddress(source.host(), source.port())), "k", 20_000L, 8);
        List<Integer> slots = java.util.stream.IntStream.rangeClosed(0, 999).boxed().toList();

        String result = migrate(slots);
        System.out.println(result);

        assertTrue(result.startsWith("moved 1000 of 1000 slots"), result);
        long onTarget = slots.stream().mapToLong(s -> target.commands().clusterCountKeysInSlot(s)).sum();
        long left = slots.stream().mapToLong(s -> c.clusterCountKeysInSlot(s)).sum();
        assertEquals(0, left);
        assertEquals(20_000L - c.dbsize(), onTarget, "every key of a moved slot is on the target");
        assertFalse(c.clusterNodes().contains("->-"), "no slot left migrating: " + c.clusterNodes());
        assertFalse(target.commands().clusterNodes().contains("-<-"), "no slot left importing");
        assertTrue(RedisStats.calls(source, "eval") >= slots.size(), "the keys were moved inside Redis, a script per slot");
    }

    @Test
    void theSourcesReplicaDropsTheMovedKeysAsWell() throws Exception {
        RedisServer replica = redis.start(RedisSpec.standalone().clusterEnabled());
        replica.commands().clusterMeet(source.host(), source.port());
        String sourceId = source.commands().clusterMyId();
        Eventually.await(Duration.ofSeconds(10), "the replica to know the source",
                () -> replica.commands().clusterNodes().contains(sourceId) && !replica.commands().clusterNodes().contains("handshake"));
        replica.commands().clusterReplicate(sourceId);
        ClusterLoader.load(List.of(new java.net.InetSocketAddress(source.host(), source.port())), "k", 5_000L, 4);
        Eventually.await(Duration.ofSeconds(20), "the replica to hold the source's keys",
                () -> replica.commands().dbsize().equals(source.commands().dbsize()));
        List<Integer> slots = java.util.stream.IntStream.rangeClosed(0, 299).boxed().toList();

        String result = migrate(slots);

        assertTrue(result.startsWith("moved 300 of 300 slots") && !result.contains("problems"), result);
        // What a script changes reaches replicas as its effects: MIGRATE's deletions.
        Eventually.await(Duration.ofSeconds(20), "the replica to drop every moved key",
                () -> replica.commands().dbsize().equals(source.commands().dbsize())
                        && slots.stream().mapToLong(s -> replica.commands().clusterCountKeysInSlot(s)).sum() == 0);
    }

    @Test
    void withAPasswordTheKeysGoThroughTheAgentSoSlowlogNeverShowsIt() throws Exception {
        sourceNode.close();
        join(RedisSpec.standalone().clusterEnabled().withPassword("migrate-secret"));
        for (int i = 0; i < 600; i++) {
            source.commands().set("{pw}" + i, "v" + i);
        }
        int slot = (int) source.commands().clusterKeyslot("{pw}").longValue();
        source.commands().configSet("slowlog-log-slower-than", "0");
        source.commands().configSet("slowlog-max-len", "100000");

        String result = migrate(List.of(slot));

        assertTrue(result.startsWith("moved 1 of 1 slots (600 keys)"), result);
        assertEquals(600, target.commands().clusterCountKeysInSlot(slot));
        assertOwnedByTargetAndClosed(slot);
        // Every command was logged: Redis redacts MIGRATE's AUTH argument, and a script's arguments never held it.
        String logged = source.commands().slowlogGet(100_000).toString();
        assertTrue(logged.contains("MIGRATE") || logged.contains("migrate"), "the MIGRATEs were logged");
        assertFalse(logged.contains("migrate-secret"), "the password is in SLOWLOG");
    }

    @Test
    void whenRedisRefusesTheScriptTheKeysMoveThroughTheAgent() throws Exception {
        sourceNode.close();
        join(RedisSpec.standalone().clusterEnabled().withArgs("--rename-command", "EVAL", ""));
        ClusterLoader.load(List.of(new java.net.InetSocketAddress(source.host(), source.port())), "k", 5_000L, 4);
        List<Integer> slots = java.util.stream.IntStream.rangeClosed(0, 299).boxed().toList();

        String result = migrate(slots);

        assertTrue(result.startsWith("moved 300 of 300 slots") && !result.contains("problems"), result);
        assertEquals(0, slots.stream().mapToLong(s -> source.commands().clusterCountKeysInSlot(s)).sum());
        assertTrue(RedisStats.calls(source, "migrate") > 0);
    }

    @Test
    void aRehearsalRunsAMovesScriptsAndChangesNothing() throws Exception {
        ClusterLoader.load(List.of(new java.net.InetSocketAddress(source.host(), source.port())), "k", 5_000L, 8);
        String before = state(source) + " / " + state(target);
        long evals = RedisStats.calls(source, "eval");

        new SlotMigrator(sourceNode).rehearse().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertEquals(before, state(source) + " / " + state(target));
        assertTrue(RedisStats.calls(source, "eval") - evals >= SlotMigrator.REHEARSED_SLOTS + SlotMigrator.REHEARSED_ROUNDS);
    }

    /** What a write or a slot change would alter: writes since the last save, keys, this node's config epoch and slots. */
    private static String state(RedisServer server) {
        String mine = server.commands().clusterNodes().lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        String[] fields = mine.split(" ");
        return RedisStats.writesSinceSave(server) + " writes, " + server.commands().dbsize() + " keys, config epoch " + fields[6] + ", slots "
                + String.join(" ", List.of(fields).subList(8, fields.length));
    }

    @Test
    void aSlotHandedOverOnTheTargetButNotHereIsClosedByFinishingIt() throws Exception {
        int slot = (int) source.commands().clusterKeyslot("{cut}").longValue();
        for (int i = 0; i < 50; i++) {
            source.commands().set("{cut}" + i, "v" + i);
        }
        // A hand-over cut between the target's SETSLOT NODE and the source's: the target's gossip, with its higher
        // config epoch, then takes the slot from the source, which Redis 7.0 leaves MIGRATING a slot it does not own.
        openWithFirstKeysMoved(slot, 100);
        target.commands().clusterSetSlotNode(slot, targetId);
        Eventually.await(Duration.ofSeconds(10), "the source to learn by gossip that the target owns slot " + slot,
                () -> source.commands().clusterNodes().lines().anyMatch(l -> l.startsWith(targetId) && servesSlot(l, slot)));
        assertTrue(source.commands().clusterNodes().contains("[" + slot + "->-"), "still migrating on the source");

        String result = finish(slot);

        assertTrue(result.startsWith("moved 1 of 1 slots (0 keys)"), result);
        assertEquals(50, target.commands().clusterCountKeysInSlot(slot));
        assertOwnedByTargetAndClosed(slot);
    }

    @Test
    void aTargetThatStallsLongerThanTheCommandTimeoutStillEndsWithEverySlotMovedAndClosed() throws Exception {
        RedisCommands<String, String> c = source.commands();
        ClusterLoader.load(List.of(new java.net.InetSocketAddress(source.host(), source.port())), "k", 20_000L, 8);
        List<Integer> slots = java.util.stream.IntStream.rangeClosed(0, 999).boxed().toList();

        var moving = new SlotMigrator(sourceNode).migrate(slots, new SlotMigrator.Target(target.host(), target.port(), targetId, List.of()),
                Duration.ofSeconds(30), () -> true).toCompletableFuture();
        // Once the first group is open, the target answers nothing for 3 s, longer than the agent's 2 s Redis command
        // timeout: the SETSLOTs sent meanwhile (the next group's IMPORTING, the first group's NODE) are carried out when
        // it resumes, so the migration must wait for their answers, not take them for refusals (that left slots
        // importing on the target, or owned by it and still migrating here).
        Eventually.await(Duration.ofSeconds(10), "the first slots to be importing", () -> target.commands().clusterNodes().contains("-<-"));
        target.commands().clientPause(3000);

        String result = moving.get(120, TimeUnit.SECONDS);

        assertTrue(result.startsWith("moved 1000 of 1000 slots") && !result.contains("problems"), result);
        assertEquals(0, slots.stream().mapToLong(c::clusterCountKeysInSlot).sum());
        assertFalse(c.clusterNodes().contains("->-"), "no slot left migrating: " + c.clusterNodes());
        assertFalse(target.commands().clusterNodes().contains("-<-"), "no slot left importing");
        String mine = target.commands().clusterNodes().lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        assertTrue(slots.stream().allMatch(s -> servesSlot(mine, s)), mine);
    }

    /** Opens {@code slot} on both sides and moves its first {@code keys} keys, as a crash mid-migration leaves it. */
    private void openWithFirstKeysMoved(int slot, int keys) {
        target.commands().clusterSetSlotImporting(slot, source.commands().clusterMyId());
        source.commands().clusterSetSlotMigrating(slot, targetId);
        source.commands().migrate(target.host(), target.port(), 0, 5000, MigrateArgs.Builder.keys(source.commands().clusterGetKeysInSlot(slot, keys)));
    }

    private String finish(int slot) throws Exception {
        return new SlotMigrator(sourceNode).finish(slot, new SlotMigrator.Target(target.host(), target.port(), targetId, List.of()))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private String migrate(List<Integer> slots) throws Exception {
        return new SlotMigrator(sourceNode).migrate(slots, new SlotMigrator.Target(target.host(), target.port(), targetId, List.of()),
                Duration.ofSeconds(30), () -> true).toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private void assertOwnedByTargetAndClosed(int slot) {
        String nodes = target.commands().clusterNodes();
        assertFalse(nodes.contains("[" + slot + "-<-"), nodes);
        assertFalse(source.commands().clusterNodes().contains("[" + slot + "->-"), source.commands().clusterNodes());
        Eventually.await(Duration.ofSeconds(10), "the source to see the target own slot " + slot,
                () -> source.commands().clusterNodes().lines().anyMatch(l -> l.startsWith(targetId) && servesSlot(l, slot)));
    }

    private static boolean servesSlot(String line, int slot) {
        String[] parts = line.split(" ");
        for (int i = 8; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("[")) {
                continue;
            }
            int dash = p.indexOf('-');
            int start = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int end = Integer.parseInt(dash < 0 ? p : p.substring(dash + 1));
            if (slot >= start && slot <= end) {
                return true;
            }
        }
        return false;
    }
}
