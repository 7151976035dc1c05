package io.warden.agent.actions;

import io.lettuce.core.Range;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.warden.agent.AgentConfig.RedisEndpoint;
import io.warden.agent.redis.RedisNode;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.slots.SlotOwners;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.common.wire.Action;
import io.warden.common.wire.Instruction;
import io.warden.common.wire.InstructionResult;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node joins a real three-master cluster (a replica each): the hub MEETs it while its agent carries out
 * CLUSTER_SEED_SLOT_MAP, and a reader polls its CLUSTER NODES back to back, as a cluster client's topology refresh
 * would, only far more often. Left to gossip, the node lists every peer with slots unowned for 30-100 ms in most joins
 * on loopback (up to seconds); seeded, at most between two checks.
 */
class SlotMapSeedIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private final List<RedisServer> members = new ArrayList<>();
    private ClientResources resources;
    private RedisNode joiningNode;

    @BeforeEach
    void threeMastersWithAReplicaEach() {
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        for (int i = 0; i < 6; i++) {
            members.add(redis.start(RedisSpec.standalone().clusterEnabled()));
        }
        RedisServer hub = members.get(0);
        List<SlotRange> thirds = SlotSet.evenSplit(3);
        for (int i = 0; i < 3; i++) {
            members.get(i).commands().clusterAddSlotsRange(Range.create(thirds.get(i).start(), thirds.get(i).end()));
        }
        members.forEach(m -> hub.commands().clusterMeet(m.host(), m.port()));
        Eventually.await(Duration.ofSeconds(20), "every member to know every other",
                () -> members.stream().allMatch(m -> settledPeers(m).size() == members.size() - 1));
        for (int i = 0; i < 3; i++) {
            members.get(i + 3).commands().clusterReplicate(members.get(i).commands().clusterMyId());
        }
        Eventually.await(Duration.ofSeconds(20), "the cluster to be ok everywhere",
                () -> members.stream().allMatch(m -> m.commands().clusterInfo().contains("cluster_state:ok")));
    }

    @AfterEach
    void close() {
        if (joiningNode != null) {
            joiningNode.close();
        }
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aJoiningNodeIsGivenEachOwnersSlotsAsSoonAsItKnowsTheOwner() throws Exception {
        Reader reader = join(RedisSpec.standalone().clusterEnabled());

        assertTrue(reader.longestExposureMs() < 50, "the node listed every member with a slot unowned: " + reader);
    }

    /**
     * The same SETSLOTs, sent one by one: the slot map ends the same, but a reader can see it half given while they
     * go (tens of milliseconds measured), where one script gives it at once.
     */
    @Test
    void aJoiningNodeThatRefusesScriptsIsGivenThemCommandByCommand() throws Exception {
        join(RedisSpec.standalone().clusterEnabled().withArgs("--rename-command", "EVAL", ""));
    }

    /** Joins a node started from {@code spec}, checks the answer and the slot map it ends with; the reader's count. */
    private Reader join(RedisSpec spec) throws Exception {
        RedisServer hub = members.get(0);
        RedisServer joining = redis.start(spec);
        joiningNode = new RedisNode(new RedisEndpoint(joining.host(), joining.port(), Optional.empty(), Duration.ofSeconds(2)),
                resources, Clock.systemUTC());
        Instruction seed = new Instruction("seed-1", 1, Action.CLUSTER_SEED_SLOT_MAP, Map.of("owners", SlotOwners.encode(ownersSeenBy(hub))));

        Reader reader = new Reader(joining, members.stream().map(m -> m.commands().clusterMyId()).collect(Collectors.toSet()));
        InstructionResult result;
        try (reader) {
            var seeding = new ActionExecutor(joiningNode).execute(seed).toCompletableFuture();
            hub.commands().clusterMeet(joining.host(), joining.port());
            result = seeding.get(30, TimeUnit.SECONDS);
            // Keep reading a little after the answer: the node must not lose what it was given.
            Thread.sleep(300);
        }
        System.out.println("seeded: " + result.message() + "; reader: " + reader);
        assertTrue(result.ok() && result.message().contains("knew every slot's owner"), result.message());
        assertEquals(ownersSeenBy(hub), ownersSeenBy(joining), "the joined node's slot map is the hub's");
        return reader;
    }

    /** Reads the node's CLUSTER NODES back to back, timing how long it lists every member while a slot has no owner. */
    private static final class Reader implements AutoCloseable {
        private final RedisServer node;
        private final Set<String> memberIds;
        private final Thread thread;
        private volatile boolean stopped;
        private int reads;
        private int exposed;
        private long longestNanos;

        Reader(RedisServer node, Set<String> memberIds) {
            this.node = node;
            this.memberIds = memberIds;
            this.thread = new Thread(this::read, "cluster-nodes-reader");
            thread.start();
        }

        private void read() {
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long exposedSince = -1;
            while (!stopped && System.nanoTime() < limit) {
                List<ClusterNodeEntry> table = ClusterNodesParser.parse(node.commands().clusterNodes());
                long now = System.nanoTime();
                reads++;
                boolean listsEveryMember = table.stream().filter(e -> !e.handshake()).map(ClusterNodeEntry::id).collect(Collectors.toSet())
                        .containsAll(memberIds);
                boolean slotWithoutOwner = table.stream().mapToInt(e -> SlotSet.of(e.slots()).size()).sum() < SlotRange.SLOTS;
                if (listsEveryMember && slotWithoutOwner) {
                    exposed++;
                    exposedSince = exposedSince < 0 ? now : exposedSince;
                    longestNanos = Math.max(longestNanos, now - exposedSince);
                } else {
                    exposedSince = -1;
                }
            }
        }

        long longestExposureMs() {
            return TimeUnit.NANOSECONDS.toMillis(longestNanos);
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        @Override
        public String toString() {
            return reads + " reads, " + exposed + " listing every member with a slot unowned, for at most " + longestExposureMs()
                    + " ms in a row";
        }
    }

    private static List<ClusterNodeEntry> settledPeers(RedisServer server) {
        return ClusterNodesParser.parse(server.commands().clusterNodes()).stream()
                .filter(e -> !e.myself() && !e.handshake()).toList();
    }

    private static Map<String, SlotSet> ownersSeenBy(RedisServer server) {
        Map<String, SlotSet> owners = new HashMap<>();
        for (ClusterNodeEntry e : ClusterNodesParser.parse(server.commands().clusterNodes())) {
            if (e.master() && !e.slots().isEmpty()) {
                owners.put(e.id(), SlotSet.of(e.slots()));
            }
        }
        return owners;
    }
}
