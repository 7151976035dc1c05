package io.warden.agent.actions;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.agent.redis.RedisConnector;
import io.warden.agent.redis.RedisNode;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finishes the migration of one slot from this node (the source, MIGRATING) to a target (IMPORTING):
 * <ol>
 *   <li>MIGRATE the keys left in the slot, a batch at a time, until COUNTKEYSINSLOT is 0;</li>
 *   <li>CLUSTER SETSLOT slot NODE target on the target first, then here, so clients are never bounced between
 *       two nodes that both disown the slot.</li>
 * </ol>
 */
final class SlotMigrator {

    private static final int BATCH = 100;
    private static final long MIGRATE_TIMEOUT_MS = 10_000;

    private final RedisNode node;

    SlotMigrator(RedisNode node) {
        this.node = node;
    }

    CompletionStage<String> finish(RedisAsyncCommands<String, String> source, int slot, String host, int port, String targetId) {
        return moveKeys(source, slot, host, port, 0).thenCompose(moved -> {
            RedisConnector target = node.connectorTo(host, port);
            return target.connection()
                    .thenCompose(c -> c.async().clusterSetSlotNode(slot, targetId))
                    .thenCompose(ok -> source.clusterSetSlotNode(slot, targetId))
                    .thenApply(ok -> "slot " + slot + " moved to " + host + ":" + port + " (" + moved + " keys)")
                    .whenComplete((r, e) -> target.close());
        });
    }

    private CompletionStage<Long> moveKeys(RedisAsyncCommands<String, String> source, int slot, String host, int port, long movedSoFar) {
        return source.clusterGetKeysInSlot(slot, BATCH).thenCompose(keys -> {
            if (keys.isEmpty()) {
                return CompletableFuture.completedFuture(movedSoFar);
            }
            return source.migrate(host, port, 0, MIGRATE_TIMEOUT_MS, args(keys))
                    .thenCompose(ok -> moveKeys(source, slot, host, port, movedSoFar + keys.size()));
        });
    }

    private MigrateArgs<String> args(List<String> keys) {
        MigrateArgs<String> args = MigrateArgs.Builder.keys(keys);
        node.endpoint().password().ifPresent(p -> args.auth(p.toCharArray()));
        return args;
    }
}
