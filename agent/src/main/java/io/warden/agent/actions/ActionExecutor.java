package io.warden.agent.actions;

import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.agent.redis.RedisConnector;
import io.warden.agent.failover.StartGuardState;
import io.warden.agent.redis.RedisNode;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.slots.SlotOwners;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.common.wire.Instruction;
import io.warden.common.wire.InstructionResult;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Carries out one {@link Instruction} on the local Redis. Every action first looks at what Redis already has,
 * so repeating an instruction that took effect does nothing, and Redis's own refusals (CLUSTER REPLICATE on a
 * node with data, ADDSLOTS of a busy slot) come back as a failed result, never as a forced change.
 */
public final class ActionExecutor {

    /** How long one migration instruction keeps opening slots; the coordinator plans the rest next tick. */
    static final Duration MIGRATION_BUDGET = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(ActionExecutor.class.getName());

    private final RedisNode node;
    private final SlotMigrator migrator;
    private final Runnable dataDropped;
    private final ForcedFailover forcedFailover = new ForcedFailover(System::nanoTime);
    private final LongSupplier newestEpoch;
    private final StartGuardState startGuard;
    private final InsideRedis seedScripts = new InsideRedis();

    public ActionExecutor(RedisNode node) {
        this(node, () -> 0);
    }

    public ActionExecutor(RedisNode node, LongSupplier newestEpoch) {
        this(node, newestEpoch, new StartGuardState(node), () -> { });
    }

    /**
     * @param newestEpoch the newest coordinator epoch seen: a migration of an older one opens no more slots
     * @param startGuard  the start guard the agent watches (LIFT_START_GUARD lifts it)
     * @param dataDropped told when a CLUSTER_RESET_SOFT emptied Redis, so the data it started with is gone
     */
    public ActionExecutor(RedisNode node, LongSupplier newestEpoch, StartGuardState startGuard, Runnable dataDropped) {
        this.node = node;
        this.migrator = new SlotMigrator(node);
        this.newestEpoch = newestEpoch;
        this.startGuard = startGuard;
        this.dataDropped = dataDropped;
    }

    /**
     * Rehearses the slot migration path once ({@link SlotMigrator#rehearse}), so the first move runs compiled code;
     * logs how long it took, or why it stopped (a Redis that refuses scripts migrates one command at a time anyway).
     */
    public void rehearseMigration() {
        long started = System.nanoTime();
        migrator.rehearse().whenComplete((done, failure) -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (failure == null) {
                LOG.info("rehearsed the slot migration path in " + millis + " ms (scripts that change nothing)");
            } else {
                LOG.info("slot migration rehearsal stopped after " + millis + " ms: " + message(failure));
            }
        });
    }

    /** Whether a slot migration ran here at any time since {@code since} (see {@link SlotMigrator#movingSince}). */
    public boolean movingSlotsSince(java.time.Instant since) {
        return migrator.movingSince(since);
    }

    public CompletionStage<InstructionResult> execute(Instruction instruction) {
        Map<String, String> a = instruction.args();
        CompletionStage<String> done = node.commands().thenCompose(redis -> switch (instruction.action()) {
            case CLUSTER_MEET -> redis.clusterMeet(a.get("host"), port(a, "port")).thenApply(ok -> "met " + a.get("host") + ":" + a.get("port"));
            case CLUSTER_SEED_SLOT_MAP -> SlotMapSeed.run(redis, SlotOwners.parse(a.get("owners")), SlotMapSeed.LIMIT, seedScripts);
            case CLUSTER_ADD_SLOTS -> addSlots(redis, a.get("ranges"));
            case CLUSTER_REPLICATE -> replicate(redis, a.get("masterNodeId"));
            case CLUSTER_SETSLOT_STABLE -> redis.clusterSetSlotStable(slot(a)).thenApply(ok -> "slot " + slot(a) + " is stable");
            case CLUSTER_SETSLOT_NODE -> redis.clusterSetSlotNode(slot(a), a.get("nodeId")).thenApply(ok -> "slot " + slot(a) + " given to " + a.get("nodeId"));
            case CLUSTER_FINISH_MIGRATION -> migrator.finish(slot(a), target(a));
            case CLUSTER_MIGRATE_SLOTS -> migrator.migrate(slots(a.get("slots")), target(a), MIGRATION_BUDGET,
                    () -> newestEpoch.getAsLong() <= instruction.epoch());
            case CLUSTER_FORGET -> forget(redis, a.get("nodeId"));
            case CLUSTER_RESET_SOFT -> reset(redis);
            case REPLICA_OF -> replicaOf(redis, a.get("host"), port(a, "port"));
            case PROMOTE -> redis.replicaofNoOne().thenApply(ok -> "promoted to master");
            case CLUSTER_FAILOVER_FORCE -> forcedFailover.run(redis, a.get("masterNodeId"), Long.parseLong(a.get("clusterEpoch")),
                    Boolean.parseBoolean(a.get("withoutVote")));
            case CLUSTER_FAILOVER -> Handover.clusterFailover(redis, Handover.CLUSTER_FAILOVER_LIMIT);
            case FAILOVER_TO -> handOver(redis, a.get("host"), port(a, "port"), Long.parseLong(a.get("timeoutMs")));
            case AWAIT_PROMOTION -> Handover.awaitPromotion(redis, Duration.ofMillis(Long.parseLong(a.get("timeoutMs"))));
            case LIFT_START_GUARD -> startGuard.lift("no replica holds more than this master");
            case REPORT_NOW -> CompletableFuture.completedFuture("reporting now");
        });
        return done
                .thenApply(message -> new InstructionResult(instruction.id(), true, message))
                .exceptionally(failure -> new InstructionResult(instruction.id(), false, message(failure)));
    }

    /** The replication-mode handover, which also talks to the replica taking over (see {@link Handover#handOverTo}). */
    public CompletionStage<String> handOver(RedisAsyncCommands<String, String> redis, String host, int port, long timeoutMs) {
        RedisConnector target = node.connectorTo(host, port);
        return target.connection()
                .thenCompose(c -> Handover.handOverTo(redis, c.async(), host, port, timeoutMs))
                .whenComplete((r, e) -> target.closeAsync());
    }

    /** ADDSLOTSRANGE for the slots not yet served here; refuses slots another node serves. */
    private CompletionStage<String> addSlots(RedisAsyncCommands<String, String> redis, String ranges) {
        SlotSet wanted = SlotSet.of(Arrays.stream(ranges.split(",")).map(SlotRange::parse).toList());
        return redis.clusterNodes().thenCompose(text -> {
            List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(text);
            SlotSet mine = SlotSet.empty();
            SlotSet others = SlotSet.empty();
            for (ClusterNodeEntry n : nodes) {
                SlotSet served = SlotSet.of(n.slots());
                if (n.myself()) {
                    mine = mine.union(served);
                } else if (n.master()) {
                    others = others.union(served);
                }
            }
            SlotSet busy = wanted.intersect(others);
            if (!busy.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("slots " + busy + " are served by another node"));
            }
            SlotSet missing = wanted.minus(mine);
            if (missing.isEmpty()) {
                return CompletableFuture.completedFuture("already serving " + wanted);
            }
            @SuppressWarnings("unchecked")
            Range<Integer>[] add = missing.ranges().stream().map(r -> Range.create(r.start(), r.end())).toArray(Range[]::new);
            return redis.clusterAddSlotsRange(add).thenApply(ok -> "now serving " + missing);
        });
    }

    /**
     * CLUSTER REPLICATE, unless this node already replicates that master at the address the cluster knows it
     * by. (Repeating it re-points replication at a master that moved: Redis updates the address from gossip but
     * keeps replicating from the old one.)
     */
    private CompletionStage<String> replicate(RedisAsyncCommands<String, String> redis, String masterNodeId) {
        CompletableFuture<String> nodes = redis.clusterNodes().toCompletableFuture();
        CompletableFuture<String> replication = redis.info("replication").toCompletableFuture();
        return nodes.thenCombine(replication, (nodesText, infoText) -> {
            List<ClusterNodeEntry> entries = ClusterNodesParser.parse(nodesText);
            boolean following = entries.stream().anyMatch(n -> n.myself() && n.replica() && masterNodeId.equals(n.masterId()));
            var info = RedisInfoParser.parse(infoText);
            String linkedTo = info.masterHost().orElse("") + ":" + info.masterPort().orElse(0);
            boolean atCurrentAddress = entries.stream().anyMatch(n -> n.id().equals(masterNodeId) && n.address().equals(linkedTo));
            return following && atCurrentAddress;
        }).thenCompose(already -> already
                ? CompletableFuture.completedFuture("already a replica of " + masterNodeId)
                : redis.clusterReplicate(masterNodeId).thenApply(ok -> "now a replica of " + masterNodeId));
    }

    private CompletionStage<String> replicaOf(RedisAsyncCommands<String, String> redis, String host, int port) {
        return redis.info("replication").thenCompose(text -> {
            var info = RedisInfoParser.parse(text);
            boolean already = info.masterHost().filter(host::equals).isPresent() && info.masterPort().orElse(-1) == port;
            if (already) {
                return CompletableFuture.completedFuture("already a replica of " + host + ":" + port);
            }
            return redis.replicaof(host, port).thenApply(ok -> "now a replica of " + host + ":" + port);
        });
    }

    /** CLUSTER FORGET, unless the node is already forgotten (repeating it would only renew the ban). */
    private CompletionStage<String> forget(RedisAsyncCommands<String, String> redis, String nodeId) {
        return redis.clusterNodes().thenCompose(text -> {
            boolean known = ClusterNodesParser.parse(text).stream().anyMatch(n -> n.id().equals(nodeId) && !n.myself());
            return known ? redis.clusterForget(nodeId).thenApply(ok -> "forgot " + nodeId)
                    : CompletableFuture.completedFuture("does not know " + nodeId);
        });
    }

    /** CLUSTER RESET SOFT on a node that serves no slot: it forgets its peers (a replica also drops its copy). */
    private CompletionStage<String> reset(RedisAsyncCommands<String, String> redis) {
        return redis.clusterNodes().thenCompose(text -> {
            List<ClusterNodeEntry> nodes = ClusterNodesParser.parse(text);
            boolean serves = nodes.stream().anyMatch(n -> n.myself() && !n.slots().isEmpty());
            if (serves) {
                return CompletableFuture.failedFuture(new IllegalStateException("still serves slots; not resetting"));
            }
            if (nodes.stream().allMatch(ClusterNodeEntry::myself)) {
                return CompletableFuture.completedFuture("knows no peer already");
            }
            // The coordinator resets only a node the cluster does not know (brought back with a nodes.conf its peers
            // forgot): no client is sent to it. A replica's copy of the data is dropped; a master's keys make Redis refuse.
            return redis.clusterReset(false).thenApply(ok -> {
                dataDropped.run();
                return "reset: forgot every peer";
            });
        });
    }

    private static SlotMigrator.Target target(Map<String, String> a) {
        String others = a.getOrDefault("others", "");
        return new SlotMigrator.Target(a.get("targetHost"), port(a, "targetPort"), a.get("targetNodeId"),
                others.isBlank() ? List.of() : List.of(others.split(",")));
    }

    /** "100-120,7" as slot numbers, in order. */
    static List<Integer> slots(String ranges) {
        return slots(Arrays.stream(ranges.split(",")).map(SlotRange::parse).toList());
    }

    /** The ranges' slot numbers, in order. */
    static List<Integer> slots(List<SlotRange> ranges) {
        List<Integer> slots = new java.util.ArrayList<>();
        for (SlotRange range : ranges) {
            for (int s = range.start(); s <= range.end(); s++) {
                slots.add(s);
            }
        }
        return slots;
    }

    private static int slot(Map<String, String> args) {
        return port(args, "slot");
    }

    private static int port(Map<String, String> args, String name) {
        return Integer.parseInt(args.get(name));
    }

    static String message(Throwable failure) {
        Throwable t = cause(failure);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A stage's failure without the CompletionExceptions that wrap it. */
    static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
