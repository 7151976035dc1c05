package io.warden.agent.redis;

import io.lettuce.core.Range;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.warden.agent.AgentConfig.RedisEndpoint;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import io.warden.testkit.RedisStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An observation counts the keys of every slot its node has open: in one script call, or one command each without scripts. */
class OpenSlotKeysIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private RedisServer source;
    private RedisNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    /** A source holding every slot, with three keys in slot 0's tag and slots 0, 1 and 2 migrating to a second node. */
    private void migratingThreeSlots(RedisSpec spec) {
        source = redis.start(spec);
        RedisServer target = redis.start(spec);
        source.commands().clusterAddSlotsRange(Range.create(0, 16383));
        source.commands().clusterMeet(target.host(), target.port());
        String targetId = target.commands().clusterMyId();
        Eventually.await(Duration.ofSeconds(10), "the source to know the target and serve",
                () -> source.commands().clusterNodes().contains(targetId) && !source.commands().clusterNodes().contains("handshake")
                        && source.commands().clusterInfo().contains("cluster_state:ok"));
        for (String key : new String[]{"{3560}a", "{3560}b", "{3560}c"}) {   // "3560" hashes to slot 0
            source.commands().set(key, "v");
        }
        for (int slot = 0; slot < 3; slot++) {
            source.commands().clusterSetSlotMigrating(slot, targetId);
        }
        node = new RedisNode(new RedisEndpoint(source.host(), source.port(), Optional.empty(), Duration.ofSeconds(2)), resources,
                Clock.systemUTC());
    }

    @Test
    void theOpenSlotsAreCountedInOneScriptCall() throws Exception {
        migratingThreeSlots(RedisSpec.standalone().clusterEnabled());
        long evals = RedisStats.calls(source, "eval");

        RedisObservation seen = node.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Map.of(0, 3L, 1, 0L, 2, 0L), seen.openSlotKeys());
        assertEquals(evals + 1, RedisStats.calls(source, "eval"), "one script for the three slots");
    }

    @Test
    void withoutScriptsEachOpenSlotIsCountedOnItsOwn() throws Exception {
        migratingThreeSlots(RedisSpec.standalone().clusterEnabled().withArgs("--rename-command", "EVAL", ""));

        RedisObservation first = node.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long counted = RedisStats.calls(source, "cluster|countkeysinslot");
        RedisObservation second = node.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Map.of(0, 3L, 1, 0L, 2, 0L), first.openSlotKeys());
        assertEquals(Map.of(0, 3L, 1, 0L, 2, 0L), second.openSlotKeys());
        assertEquals(counted + 3, RedisStats.calls(source, "cluster|countkeysinslot"), "one command per open slot");
    }
}
