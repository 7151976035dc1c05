package io.warden.agent.actions;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One round of {@code CLUSTER SETSLOT slot STATE nodeId} over a group of slots on one node, answering each slot's
 * reply: "OK", or "ERR " and why (Redis's refusal, or the connection's failure), as {@link SlotOpening} reads them.
 */
final class SetSlots {

    /** The three SETSLOT subcommands a move sends, each with a node ID. */
    enum State {
        IMPORTING, MIGRATING, NODE;

        CompletionStage<String> send(RedisAsyncCommands<String, String> redis, int slot, String nodeId) {
            return switch (this) {
                case IMPORTING -> redis.clusterSetSlotImporting(slot, nodeId);
                case MIGRATING -> redis.clusterSetSlotMigrating(slot, nodeId);
                case NODE -> redis.clusterSetSlotNode(slot, nodeId);
            };
        }
    }

    private SetSlots() {
    }

    /**
     * The round in one script ({@link InsideRedis#SET_SLOTS}) unless Redis refuses scripts; a script that failed is
     * followed by the commands one by one (each SETSLOT is idempotent, and one that timed out may still have run).
     */
    static CompletableFuture<Map<Integer, String>> run(RedisAsyncCommands<String, String> redis, State state, List<Integer> slots,
                                                       String nodeId, InsideRedis scripts) {
        if (slots.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        if (!scripts.accepted()) {
            return oneByOne(redis, state, slots, nodeId);
        }
        return inside(redis, state, slots, nodeId).<CompletableFuture<Map<Integer, String>>>handle((replies, e) -> {
            if (e != null) {
                scripts.failed(e);
                return oneByOne(redis, state, slots, nodeId);
            }
            return CompletableFuture.completedFuture(replies);
        }).thenCompose(replies -> replies).toCompletableFuture();
    }

    /** The round as {@link InsideRedis#SET_SLOTS}: the replies by slot, or the script's failure. */
    static CompletionStage<Map<Integer, String>> inside(RedisAsyncCommands<String, String> redis, State state, List<Integer> slots,
                                                        String nodeId) {
        String[] args = new String[slots.size() + 2];
        args[0] = state.name();
        args[1] = nodeId;
        for (int i = 0; i < slots.size(); i++) {
            args[i + 2] = String.valueOf(slots.get(i));
        }
        return redis.<List<String>>eval(InsideRedis.SET_SLOTS, ScriptOutputType.MULTI, new String[0], args).thenApply(replies -> {
            Map<Integer, String> bySlot = new LinkedHashMap<>();
            for (int i = 0; i < slots.size(); i++) {
                bySlot.put(slots.get(i), replies.get(i));
            }
            return bySlot;
        });
    }

    private static CompletableFuture<Map<Integer, String>> oneByOne(RedisAsyncCommands<String, String> redis, State state,
                                                                    List<Integer> slots, String nodeId) {
        Map<Integer, CompletableFuture<String>> replies = new LinkedHashMap<>();
        slots.forEach(slot -> replies.put(slot, state.send(redis, slot, nodeId).toCompletableFuture()
                .exceptionally(e -> "ERR " + ActionExecutor.message(e))));
        return CompletableFuture.allOf(replies.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Integer, String> bySlot = new LinkedHashMap<>();
            replies.forEach((slot, f) -> bySlot.put(slot, f.join()));
            return bySlot;
        });
    }
}
