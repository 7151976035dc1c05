package io.warden.agent.actions;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.slots.SlotSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A node joining a cluster ({@code CLUSTER_SEED_SLOT_MAP}, sent while the hub MEETs it) is told who serves each slot the
 * moment it knows the owner, rather than when the owner's next packet reaches it.
 * <p>
 * Redis 7.0 learns a peer's ID from gossip (or a handshake) but its slots only from a packet the peer itself sends
 * afterwards. A node just met therefore lists every peer for a while with some slots unowned
 * ({@code bench/join-window.sh}: 30-90 ms in 4 of 5 joins on loopback; up to cluster-node-timeout / 2 if no packet
 * comes sooner). Lettuce's cluster client picks, among the views that know as many of its nodes, one at random: reading
 * the new node's, it finds slots nobody serves and fails their commands (PartitionSelectorException) until it reads
 * again.
 * <p>
 * The watch is one script ({@link #SEED}), sent again as soon as it answers: it reads this node's table and gives every
 * owner it knows as a master, and has heard no slot from yet, its slots, in one step. What is left open is the time
 * between two scripts, a round trip. Without scripts, the same is done with CLUSTER NODES and SETSLOTs, a poll apart.
 * <p>
 * Only an owner this node has not heard any slot from is given slots: what it learned from the owner itself wins. A
 * seeded owner that is out of date is corrected like any stale entry, by the owners' packets, whose config epochs are
 * the higher ones.
 */
final class SlotMapSeed {

    /** How long the watch lasts: gossip reaches every peer within a second or two; a dead owner is never learned. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    /** Between two looks at the table when the node refuses scripts. */
    private static final long POLL_MS = 1;

    /**
     * ARGV: per owner, its ID, the number of its ranges, then the ranges ("0-5460"). Gives each owner this node knows as
     * a master, past the handshake and with an address, and lists with no slot, its slots (CLUSTER SETSLOT NODE).
     * Answers {slots given, owners not known yet}.
     */
    static final String SEED = """
            local known = {}
            for line in string.gmatch(redis.call('CLUSTER', 'NODES'), '[^\\n]+') do
              local id, flags, slots = string.match(line, '^(%x+) %S+ (%S+) %S+ %S+ %S+ %S+ %S+(.*)$')
              if id then known[id] = {flags = flags, slots = slots} end
            end
            local given, unknown, i = 0, 0, 1
            while i <= #ARGV do
              local id, count = ARGV[i], tonumber(ARGV[i + 1])
              local peer = known[id]
              local usable = peer and string.find(peer.flags, 'master', 1, true) and not string.find(peer.flags, 'myself', 1, true)
                and not string.find(peer.flags, 'handshake', 1, true) and not string.find(peer.flags, 'noaddr', 1, true)
              if not usable then
                unknown = unknown + 1
              elseif string.find(peer.slots, '%d') == nil then
                for r = i + 2, i + 1 + count do
                  local first, last = string.match(ARGV[r], '^(%d+)-(%d+)$')
                  for slot = tonumber(first), tonumber(last) do
                    local reply = redis.pcall('CLUSTER', 'SETSLOT', slot, 'NODE', id)
                    if not (type(reply) == 'table' and reply.err) then given = given + 1 end
                  end
                end
              end
              i = i + 2 + count
            end
            return {given, unknown}
            """;

    private static final Logger LOG = Logger.getLogger(SlotMapSeed.class.getName());

    private final RedisAsyncCommands<String, String> redis;
    private final Map<String, SlotSet> owners;
    private final String[] seedArgs;
    private final InsideRedis scripts;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private long given;

    private SlotMapSeed(RedisAsyncCommands<String, String> redis, Map<String, SlotSet> owners, Duration limit, InsideRedis scripts) {
        this.redis = redis;
        this.owners = new TreeMap<>(owners);
        this.seedArgs = seedArgs(this.owners);
        this.scripts = scripts;
        this.deadlineNanos = startNanos + limit.toNanos();
    }

    /** Watches until this node knows every owner of {@code owners}, at most {@code limit}, giving their slots. */
    static CompletionStage<String> run(RedisAsyncCommands<String, String> redis, Map<String, SlotSet> owners, Duration limit,
                                       InsideRedis scripts) {
        return new SlotMapSeed(redis, owners, limit, scripts).watch().thenApply(outcome -> {
            LOG.info(outcome);
            return outcome;
        });
    }

    private CompletionStage<String> watch() {
        if (owners.isEmpty()) {
            return done("no slot served yet");
        }
        if (!scripts.accepted()) {
            return watchOneByOne();
        }
        return redis.<List<Long>>eval(SEED, ScriptOutputType.MULTI, new String[0], seedArgs).handle((reply, failure) -> {
            if (failure != null) {
                scripts.failed(failure);
                return scripts.accepted() ? CompletableFuture.<String>failedFuture(failure) : watchOneByOne();
            }
            given += reply.get(0);
            long unknown = reply.get(1);
            if (unknown == 0) {
                return done(knownAll());
            }
            if (System.nanoTime() > deadlineNanos) {
                return done(timedOut(unknown));
            }
            return watch();
        }).thenCompose(next -> next);
    }

    /** The same, for a node that refuses scripts: CLUSTER NODES, then SETSLOT NODE for each owner to give slots to. */
    private CompletionStage<String> watchOneByOne() {
        return redis.clusterNodes().thenCompose(text -> {
            List<ClusterNodeEntry> table = ClusterNodesParser.parse(text);
            List<CompletableFuture<Map<Integer, String>>> rounds = new ArrayList<>();
            long unknown = 0;
            for (Map.Entry<String, SlotSet> owner : owners.entrySet()) {
                ClusterNodeEntry peer = table.stream().filter(e -> e.id().equals(owner.getKey())).findFirst().orElse(null);
                if (peer == null || !usable(peer)) {
                    unknown++;
                } else if (peer.slots().isEmpty()) {
                    rounds.add(SetSlots.run(redis, SetSlots.State.NODE, ActionExecutor.slots(owner.getValue().ranges()), peer.id(), scripts));
                }
            }
            if (unknown == 0 && rounds.isEmpty()) {
                return done(knownAll());
            }
            if (System.nanoTime() > deadlineNanos) {
                return done(timedOut(unknown));
            }
            CompletableFuture<Void> seeded = CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new));
            return seeded.thenCompose(x -> {
                rounds.forEach(r -> given += r.join().values().stream().filter("OK"::equals).count());
                return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS));
            }).thenCompose(x -> watchOneByOne());
        });
    }

    private static boolean usable(ClusterNodeEntry peer) {
        return !peer.myself() && peer.master() && !peer.handshake() && !peer.flags().contains("noaddr");
    }

    private String knownAll() {
        return "knew every slot's owner after " + elapsedMs() + " ms (" + given + " slots given ahead of gossip)";
    }

    private String timedOut(long unknown) {
        return unknown + " of " + owners.size() + " slot owners still unknown here after " + elapsedMs() + " ms (" + given
                + " slots given ahead of gossip)";
    }

    private static String[] seedArgs(Map<String, SlotSet> owners) {
        List<String> args = new ArrayList<>();
        owners.forEach((id, slots) -> {
            args.add(id);
            args.add(Integer.toString(slots.ranges().size()));
            slots.ranges().forEach(r -> args.add(r.start() + "-" + r.end()));
        });
        return args.toArray(String[]::new);
    }

    private static CompletionStage<String> done(String outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
