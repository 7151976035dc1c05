package io.warden.agent.actions;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.agent.redis.RedisConnector;
import io.warden.agent.redis.RedisNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Moves hash slots from this node (the source) to a target, the way Redis Cluster expects, a group of slots at
 * a time:
 * <ol>
 *   <li>CLUSTER SETSLOT IMPORTING on the target for every slot of the group, then MIGRATING here, so a client sent
 *       away (ASK) always lands on a node that accepts the key;</li>
 *   <li>the keys, slot by slot: GETKEYSINSLOT, then MIGRATE ... KEYS ({@link KeyBatches} adapts the batch size and
 *       timeout: large keys never time out);</li>
 *   <li>SETSLOT NODE target on the target, then here, then on the other masters (the others only speed up what
 *       gossip would tell them).</li>
 * </ol>
 * Each SETSLOT round is one script on its node, and each slot's keys move inside the source ({@link InsideRedis}):
 * the agent sends a few hundred commands per move instead of tens of thousands.
 * Every SETSLOT waits for Redis's answer as long as a MIGRATE may take: on a node busy with queued MIGRATEs (and
 * their RESTOREs) a SETSLOT can wait seconds, and a client-side timeout does not cancel it, Redis still carries it
 * out; a refusal taken from a lost answer leaves a slot half set. A slot whose hand-over stopped between the target's
 * NODE and this node's is closed by its next move ({@link SlotOpening#HANDED_OVER}).
 * <p>
 * Slots already open are finished the same way (every step is idempotent). New groups stop opening once the
 * time budget is spent or a newer coordinator epoch was seen; a slot once opened is always driven to its end, and
 * one that fails stays open for the next plan to finish (it is never closed over keys). A slot already being
 * moved by an earlier instruction is joined, not moved twice.
 */
public final class SlotMigrator {

    private static final Logger LOG = Logger.getLogger(SlotMigrator.class.getName());
    /** Slots opened together: their SETSLOTs share a script, and Redis's config saves (an fsync each). */
    static final int GROUP = 128;
    /** Long enough for the largest MIGRATE {@link KeyBatches} allows. */
    private static final Duration CONNECTION_TIMEOUT = KeyBatches.MAX_TIMEOUT.plusSeconds(10);
    /**
     * How long a SETSLOT on the target may wait: as long as the RESTOREs of the MIGRATEs it may queue behind (Redis
     * runs one command at a time). Its outcome must be known before the next step of its slot.
     */
    static final Duration SETSLOT_TIMEOUT = CONNECTION_TIMEOUT;
    /**
     * What {@link #rehearse} runs: a few times what one source sends in bench/scale.sh's move (1,365 key steps, 66
     * SETSLOT scripts), enough for the JIT to have compiled both paths.
     */
    static final int REHEARSED_SLOTS = 4096;
    static final int REHEARSED_ROUNDS = 256;
    private static final List<Integer> REHEARSED_GROUP = java.util.stream.IntStream.range(0, GROUP).boxed().toList();
    /** Not a node ID (those are 40 hex digits): SETSLOT ... NODE refuses it before looking at the slot's state. */
    private static final String NO_SUCH_NODE = "warden-rehearsal-no-such-node";

    private final RedisNode node;
    private final Map<Integer, CompletableFuture<Long>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Instant lastEnded = Instant.EPOCH;

    public SlotMigrator(RedisNode node) {
        this.node = node;
    }

    /**
     * Whether a migration ran at any time since {@code since}: one is running, or one ended after it. An observation
     * begun before a migration ended may show its slots half set (the wall clock, as observations are stamped).
     */
    public boolean movingSince(Instant since) {
        return running.get() > 0 || !lastEnded.isBefore(since);
    }

    /** Where slots go: the target's address and node ID, and the other masters to tell (host:port). */
    public record Target(String host, int port, String nodeId, List<String> others) {

        public String address() {
            return host + ":" + port;
        }
    }

    /**
     * Moves {@code slots} to the target within {@code budget} (a group started before it ends is finished),
     * while {@code mayOpen} holds (false once a newer coordinator epoch was seen).
     */
    public CompletionStage<String> migrate(List<Integer> slots, Target target, Duration budget, BooleanSupplier mayOpen) {
        long deadline = System.nanoTime() + budget.toNanos();
        RedisConnector sourceConnector = node.connectorTo(node.endpoint().host(), node.endpoint().port(), CONNECTION_TIMEOUT);
        RedisConnector targetConnector = node.connectorTo(target.host(), target.port(), SETSLOT_TIMEOUT);
        List<RedisConnector> otherConnectors = target.others().stream().map(this::connector).toList();
        Tally tally = new Tally();
        long started = System.nanoTime();
        running.incrementAndGet();
        return sourceConnector.connection().thenCombine(targetConnector.connection(), (s, t) -> new Pair(s.async(), t.async(), new InsideRedis()))
                .thenCombine(sourceConnector.binaryConnection(), (pair, keysConnection) -> groups(pair, slots, 0, target, otherConnectors,
                        new KeyBatches(keysConnection.async(), target.host(), target.port(), node.endpoint().password(), pair.scripts()),
                        deadline, mayOpen, tally, new ArrayList<>()))
                .thenCompose(done -> done)
                .thenApply(done -> tally.describe(target, slots.size(), (System.nanoTime() - started) / 1_000_000))
                .whenComplete((r, e) -> {
                    lastEnded = Instant.now();
                    running.decrementAndGet();
                    sourceConnector.closeAsync();
                    targetConnector.closeAsync();
                    otherConnectors.forEach(RedisConnector::closeAsync);
                });
    }

    /**
     * Runs a move's commands against this node in a form that changes nothing: {@link #REHEARSED_SLOTS} key steps
     * asking for no key, and {@link #REHEARSED_ROUNDS} SETSLOT rounds over a group of slots that hand them to a node
     * no cluster has (Redis refuses each one, "Unknown node", before it changes anything; the replies are
     * read as a move reads them). A move's first seconds then run
     * compiled code: without this, each source's agent interpreted, loaded classes for and compiled the migration path
     * while its keys moved (~0.5 CPU-s per agent in bench/scale.sh, on the cores its Redis needed), where a rehearsal at
     * start costs ~1.5 s on an idle node, once. Redis sees a few thousand scripts that read nothing and write nothing.
     */
    public CompletionStage<Void> rehearse() {
        RedisConnector connector = node.connectorTo(node.endpoint().host(), node.endpoint().port(), CONNECTION_TIMEOUT);
        return connector.connection().thenCombine(connector.binaryConnection(), (strings, bytes) ->
                        new KeyBatches(bytes.async(), node.endpoint().host(), node.endpoint().port(), node.endpoint().password(),
                                new InsideRedis())
                                .rehearse(java.util.stream.IntStream.range(0, REHEARSED_SLOTS).boxed().toList())
                                .thenCompose(keysDone -> rehearseRounds(strings.async(), REHEARSED_ROUNDS)))
                .thenCompose(done -> done)
                .whenComplete((done, e) -> connector.closeAsync());
    }

    private static CompletionStage<Void> rehearseRounds(RedisAsyncCommands<String, String> redis, int left) {
        if (left <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Map<Integer, String>>> rounds = new ArrayList<>();
        for (int i = 0; i < KeyBatches.WINDOW; i++) {
            // The script alone, never the one-command-at-a-time fallback: a Redis that refuses scripts has nothing to rehearse.
            rounds.add(SetSlots.inside(redis, SetSlots.State.NODE, REHEARSED_GROUP, NO_SUCH_NODE).toCompletableFuture());
        }
        return CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new))
                .thenCompose(done -> rehearseRounds(redis, left - KeyBatches.WINDOW));
    }

    /** Finishes one slot already open on both sides (a migration a crash or an earlier leader left). */
    public CompletionStage<String> finish(int slot, Target target) {
        return migrate(List.of(slot), target, Duration.ZERO, () -> true);
    }

    /** The source's and the target's connections, and whether they take this instruction's scripts. */
    private record Pair(RedisAsyncCommands<String, String> source, RedisAsyncCommands<String, String> target, InsideRedis scripts) {
    }

    /**
     * Group after group; a group's slots are handed over (SETSLOT NODE) while the next group's keys move, and all
     * hand-overs are awaited at the end.
     */
    private CompletionStage<Void> groups(Pair pair, List<Integer> slots, int from, Target target, List<RedisConnector> others,
                                         KeyBatches keys, long deadline, BooleanSupplier mayOpen, Tally tally,
                                         List<CompletableFuture<Void>> closing) {
        // The first group always runs (a finish has no budget); later ones only within the budget and the epoch.
        if (from >= slots.size() || from > 0 && (System.nanoTime() > deadline || !mayOpen.getAsBoolean())) {
            return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
        }
        List<Integer> group = slots.subList(from, Math.min(slots.size(), from + GROUP));
        return group(pair, group, target, others, keys, tally).thenCompose(closed -> {
            closing.add(closed);
            return groups(pair, slots, from + group.size(), target, others, keys, deadline, mayOpen, tally, closing);
        });
    }

    /** Opens a group and moves its keys; answers (then) the hand-over, which completes once the slots are closed. */
    private CompletionStage<CompletableFuture<Void>> group(Pair pair, List<Integer> group, Target target, List<RedisConnector> others,
                                                           KeyBatches keys, Tally tally) {
        List<Integer> mine = new ArrayList<>();
        List<CompletableFuture<Long>> joined = new ArrayList<>();
        for (int slot : group) {
            CompletableFuture<Long> ours = new CompletableFuture<>();
            CompletableFuture<Long> earlier = inFlight.putIfAbsent(slot, ours);
            if (earlier == null) {
                mine.add(slot);
            } else {
                joined.add(earlier.handle((n, e) -> 0L));
            }
        }
        return open(pair, mine, target, tally).thenCompose(opening -> moveKeys(opening.open(), keys, tally).thenApply(moved -> {
            List<Integer> closing = new ArrayList<>(opening.handedOver());
            closing.addAll(moved);
            return closing;
        })).handle((closing, e) -> {
            CompletableFuture<Void> closed = e != null ? CompletableFuture.failedFuture(e)
                    : close(pair, closing, target, others, tally).toCompletableFuture();
            return closed.whenComplete((r, failure) -> {
                if (failure != null) {
                    tally.fail("group from slot " + group.get(0) + ": " + ActionExecutor.message(failure));
                }
                mine.forEach(slot -> inFlight.remove(slot).complete(0L));
            }).exceptionally(failure -> null).thenCompose(done -> CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)));
        });
    }

    /** What opening a group's slots left: open on both sides, or already the target's and only to hand over here. */
    private record Opening(List<Integer> open, List<Integer> handedOver) {
    }

    /**
     * IMPORTING on the target, then MIGRATING here for the slots the target took or already owns; answers what that
     * left ({@link SlotOpening}).
     */
    private CompletionStage<Opening> open(Pair pair, List<Integer> slots, Target target, Tally tally) {
        if (slots.isEmpty()) {
            return CompletableFuture.completedFuture(new Opening(List.of(), List.of()));
        }
        return pair.source().clusterMyId()
                .thenCompose(myId -> SetSlots.run(pair.target(), SetSlots.State.IMPORTING, slots, myId, pair.scripts()))
                .thenCompose(imported -> {
                    List<Integer> migrating = new ArrayList<>();
                    imported.forEach((slot, reply) -> {
                        if (!reply.startsWith("ERR ") || SlotOpening.targetOwns(reply)) {
                            migrating.add(slot);
                        }
                    });
                    return SetSlots.run(pair.source(), SetSlots.State.MIGRATING, migrating, target.nodeId(), pair.scripts())
                            .thenApply(migrated -> opening(imported, migrated, tally));
                });
    }

    private static Opening opening(Map<Integer, String> imported, Map<Integer, String> migrated, Tally tally) {
        List<Integer> open = new ArrayList<>();
        List<Integer> handedOver = new ArrayList<>();
        imported.forEach((slot, importReply) -> {
            String migrateReply = migrated.get(slot);
            switch (SlotOpening.of(importReply, migrateReply)) {
                case OPEN -> open.add(slot);
                case HANDED_OVER -> handedOver.add(slot);
                case REFUSED -> tally.fail("slot " + slot + ": " + (migrateReply == null
                        ? "target refused IMPORTING: " + importReply.substring(4)
                        : "MIGRATING refused: " + migrateReply.substring(4)));
            }
        });
        return new Opening(open, handedOver);
    }

    /** Every open slot's keys ({@link KeyBatches}); answers the slots emptied: all of them, or none if a MIGRATE failed. */
    private CompletionStage<List<Integer>> moveKeys(List<Integer> open, KeyBatches keys, Tally tally) {
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return keys.moveAll(open).handle((moved, e) -> {
            if (e == null) {
                tally.keys.addAndGet(moved);
                return open;
            }
            tally.fail("slots " + open.get(0) + ".." + open.get(open.size() - 1) + ": " + ActionExecutor.message(e)
                    + " (left open; the next plan finishes them)");
            return List.of();
        });
    }

    /** SETSLOT NODE target: on the target, then here, then (best effort) on the other masters. */
    private CompletionStage<Void> close(Pair pair, List<Integer> slots, Target target, List<RedisConnector> others, Tally tally) {
        if (slots.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return SetSlots.run(pair.target(), SetSlots.State.NODE, slots, target.nodeId(), pair.scripts()).thenCompose(onTarget -> {
            List<Integer> given = new ArrayList<>();
            onTarget.forEach((slot, reply) -> {
                if (reply.startsWith("ERR ")) {
                    tally.fail("slot " + slot + ": target refused NODE: " + reply.substring(4));
                } else {
                    given.add(slot);
                }
            });
            return SetSlots.run(pair.source(), SetSlots.State.NODE, given, target.nodeId(), pair.scripts()).thenCompose(onSource -> {
                onSource.forEach((slot, reply) -> {
                    if (reply.startsWith("ERR ") && !turnedReplica(reply)) {
                        tally.fail("slot " + slot + ": NODE refused here: " + reply.substring(4));
                    } else {
                        tally.slots.incrementAndGet();
                    }
                });
                List<CompletableFuture<Map<Integer, String>>> told = others.stream().map(o -> o.connection()
                        .thenCompose(c -> SetSlots.run(c.async(), SetSlots.State.NODE, given, target.nodeId(), pair.scripts())).toCompletableFuture()
                        .exceptionally(e -> Map.of())).toList();
                return CompletableFuture.allOf(told.toArray(CompletableFuture[]::new));
            });
        });
    }

    /**
     * Whether this node refused a SETSLOT NODE because it is no longer a master. A master whose last slots the target's
     * gossip took (its epoch was bumped by its own SETSLOT NODE) turns replica of it (cluster-allow-replica-migration):
     * the slot is the target's, as this SETSLOT would have made it.
     */
    private static boolean turnedReplica(String reply) {
        return reply.contains("only with masters");
    }

    private RedisConnector connector(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return node.connectorTo(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** What one instruction achieved, for its result message. */
    private static final class Tally {
        final AtomicLong slots = new AtomicLong();
        final AtomicLong keys = new AtomicLong();
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        void fail(String why) {
            failures.add(why);
            LOG.warning("migration: " + why);
        }

        String describe(Target target, int asked, long millis) {
            String text = "moved " + slots.get() + " of " + asked + " slots (" + keys.get() + " keys) to " + target.address()
                    + " in " + millis + " ms";
            if (!failures.isEmpty()) {
                text += "; " + failures.size() + " problems, first: " + failures.get(0);
            }
            if (slots.get() == 0 && !failures.isEmpty()) {
                throw new IllegalStateException(text);
            }
            return text;
        }
    }
}
