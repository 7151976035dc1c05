package io.warden.agent.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Counts the keys in each slot a node has open, for every observation while slots move: how far a migration got, and
 * whether an importing side already holds keys that closing the slot would strand.
 * <p>
 * One script call counts them all. A move keeps a group of 128 slots open on each source, and a target importing from
 * three sources has up to 384 open: as one COUNTKEYSINSLOT each, they were a third of a source agent's commands and
 * nearly all of the target agent's during bench/scale.sh's move (725 and 2,262 in 5 s), on the cores the keys move on.
 * A Redis that refuses scripts gets the counts one command at a time, pipelined, from the first refusal on.
 */
final class OpenSlotKeys {

    private static final Logger LOG = Logger.getLogger(OpenSlotKeys.class.getName());

    /** {@code CLUSTER COUNTKEYSINSLOT} of each slot in ARGV, in order. Reads nothing else, writes nothing. */
    static final String COUNT = """
            local counts = {}
            for i = 1, #ARGV do
              counts[i] = redis.call('CLUSTER', 'COUNTKEYSINSLOT', ARGV[i])
            end
            return counts
            """;

    private final AtomicBoolean scripts = new AtomicBoolean(true);

    /** Keys in each of {@code slots}, by slot. */
    CompletionStage<Map<Integer, Long>> count(RedisAsyncCommands<String, String> redis, List<Integer> slots) {
        if (slots.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        if (!scripts.get()) {
            return oneByOne(redis, slots);
        }
        String[] args = slots.stream().map(String::valueOf).toArray(String[]::new);
        return redis.<List<Long>>eval(COUNT, ScriptOutputType.MULTI, new String[0], args)
                .thenApply(counts -> bySlot(slots, counts))
                .<CompletionStage<Map<Integer, Long>>>handle((counts, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(counts);
                    }
                    if (!RedisFailures.refusesScripts(e)) {
                        return CompletableFuture.failedFuture(e);
                    }
                    if (scripts.getAndSet(false)) {
                        LOG.warning("counting open slots' keys one command at a time: Redis refused a script: "
                                + (e.getCause() == null ? e : e.getCause()).getMessage());
                    }
                    return oneByOne(redis, slots);
                })
                .thenCompose(counts -> counts);
    }

    private static CompletionStage<Map<Integer, Long>> oneByOne(RedisAsyncCommands<String, String> redis, List<Integer> slots) {
        List<CompletableFuture<Long>> counts = slots.stream().map(slot -> redis.clusterCountKeysInSlot(slot).toCompletableFuture()).toList();
        return CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new))
                .thenApply(done -> bySlot(slots, counts.stream().map(CompletableFuture::join).toList()));
    }

    private static Map<Integer, Long> bySlot(List<Integer> slots, List<Long> counts) {
        Map<Integer, Long> result = new TreeMap<>();
        for (int i = 0; i < slots.size(); i++) {
            result.put(slots.get(i), counts.get(i));
        }
        return result;
    }
}
