package io.warden.agent.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.warden.agent.AgentConfig.RedisEndpoint;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.redis.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The agent's only door to its local Redis (Lettuce). Each {@link #observe()} pipelines what a tick needs —
 * INFO, and CLUSTER INFO + CLUSTER MYID when cluster-enabled — into one {@link RedisObservation}; a failure
 * becomes an observation that says why, never an exception.
 */
public final class RedisNode implements AutoCloseable {

    private static final int DEFAULT_DATABASES = 16;
    /** Redis Cluster serves database 0 only. */
    private static final int CLUSTER_DATABASES = 1;

    private final RedisEndpoint endpoint;
    private final Clock clock;
    private final RedisConnector local;
    private final MasterOffsetProbe masterProbe;
    private final ClientResources resources;
    private volatile int databases = -1;
    private final OpenSlotKeys openSlotKeys = new OpenSlotKeys();

    public RedisNode(RedisEndpoint endpoint, ClientResources resources, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.resources = resources;
        this.local = new RedisConnector(resources, endpoint.host(), endpoint.port(), endpoint.password(), endpoint.commandTimeout());
        this.masterProbe = new MasterOffsetProbe(resources, endpoint.password(), endpoint.commandTimeout());
    }

    /** Told when the connection to the local Redis drops (see {@link RedisConnector#onDisconnect}). */
    public void onDisconnect(Runnable listener) {
        local.onDisconnect(listener);
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    public CompletionStage<RedisObservation> observe() {
        Instant start = clock.instant();
        return local.connection()
                .thenCompose(this::readState)
                .thenCompose(this::withMasterOffset)
                .toCompletableFuture()
                // Lettuce times out each command; this bounds the whole tick even if something else hangs.
                .orTimeout(endpoint.commandTimeout().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(read -> new RedisObservation(clock.instant(), Duration.between(start, clock.instant()),
                        Reachability.up(), Optional.of(read.info), read.cluster, read.nodeId, read.masterOffset, read.databases,
                        read.clusterNodes, read.openSlotKeys))
                .exceptionally(failure -> {
                    local.reset();
                    databases = -1;
                    return RedisObservation.down(clock.instant(), Duration.between(start, clock.instant()), RedisFailures.classify(failure));
                });
    }

    /** PING, answering whether Redis is alive: a PONG, or a LOADING / MASTERDOWN error (alive, not serving). */
    public CompletionStage<Reachability> ping(Duration timeout) {
        return local.connection()
                .thenCompose(c -> c.async().ping())
                .thenApply(pong -> Reachability.up())
                .exceptionally(failure -> RedisFailures.isAliveAnswer(failure) ? Reachability.up() : RedisFailures.classify(failure))
                .toCompletableFuture()
                .completeOnTimeout(new Reachability(Reachability.State.DOWN, "no answer to PING within " + timeout.toMillis() + " ms"),
                        timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletionStage<String> configSet(String parameter, String value) {
        return local.connection().thenCompose(c -> c.async().configSet(parameter, value));
    }

    /** The local connection's commands, for the agent's actions (connecting first if needed). */
    public CompletionStage<RedisAsyncCommands<String, String>> commands() {
        return local.connection().thenApply(StatefulRedisConnection::async);
    }

    /** A short-lived connection to another node with this node's credentials (e.g. a migration's target). */
    public RedisConnector connectorTo(String host, int port) {
        return connectorTo(host, port, endpoint.commandTimeout());
    }

    /** As {@link #connectorTo(String, int)}, with its own command timeout (a MIGRATE of a large key takes long). */
    public RedisConnector connectorTo(String host, int port, Duration timeout) {
        return new RedisConnector(resources, host, port, endpoint.password(), timeout);
    }

    private record Read(RedisInfo info, Optional<ClusterInfo> cluster, Optional<String> nodeId,
                        OptionalLong masterOffset, int databases, List<ClusterNodeEntry> clusterNodes,
                        Map<Integer, Long> openSlotKeys) {

        Read(RedisInfo info, Optional<ClusterInfo> cluster, Optional<String> nodeId, OptionalLong masterOffset, int databases,
             List<ClusterNodeEntry> clusterNodes) {
            this(info, cluster, nodeId, masterOffset, databases, clusterNodes, Map.of());
        }
    }

    private CompletionStage<Read> readState(StatefulRedisConnection<String, String> connection) {
        RedisAsyncCommands<String, String> redis = connection.async();
        CompletionStage<Integer> dbs = databaseCount(redis);
        return redis.info().thenCompose(text -> {
            RedisInfo info = RedisInfoParser.parse(text);
            if (!info.clusterEnabled()) {
                return dbs.thenApply(n -> new Read(info, Optional.empty(), Optional.empty(), OptionalLong.empty(), n, List.of()));
            }
            // Pipelined: three commands, one round trip.
            CompletableFuture<String> clusterInfo = redis.clusterInfo().toCompletableFuture();
            CompletableFuture<String> myId = redis.clusterMyId().toCompletableFuture();
            CompletableFuture<String> nodes = redis.clusterNodes().toCompletableFuture();
            return CompletableFuture.allOf(clusterInfo, myId, nodes).thenCompose(done -> {
                List<ClusterNodeEntry> view = ClusterNodesParser.parse(nodes.join());
                return openSlotKeys(redis, view).thenApply(counts -> new Read(info,
                        Optional.of(ClusterInfo.parse(clusterInfo.join())), Optional.of(myId.join()), OptionalLong.empty(),
                        CLUSTER_DATABASES, view, counts));
            });
        });
    }

    /** Keys in each slot this node has open (usually none; see {@link OpenSlotKeys}). */
    private CompletionStage<Map<Integer, Long>> openSlotKeys(RedisAsyncCommands<String, String> redis, List<ClusterNodeEntry> view) {
        List<Integer> open = view.stream().filter(ClusterNodeEntry::myself).flatMap(e -> e.openSlots().stream())
                .map(o -> o.slot()).distinct().toList();
        return openSlotKeys.count(redis, open);
    }

    /** {@code databases} changes only with a restart, so it is read once per connection. */
    private CompletionStage<Integer> databaseCount(RedisAsyncCommands<String, String> redis) {
        if (databases > 0) {
            return CompletableFuture.completedFuture(databases);
        }
        return redis.configGet("databases")
                .thenApply((Map<String, String> m) -> {
                    databases = Integer.parseInt(m.getOrDefault("databases", "16"));
                    return databases;
                })
                // CONFIG may be renamed away; the default is what almost everyone runs.
                .exceptionally(e -> DEFAULT_DATABASES);
    }

    private CompletionStage<Read> withMasterOffset(Read read) {
        if (read.info.role() != Role.REPLICA || read.info.masterHost().isEmpty() || read.info.masterPort().isEmpty()) {
            return CompletableFuture.completedFuture(read);
        }
        return masterProbe.offset(read.info.masterHost().get(), (int) read.info.masterPort().getAsLong())
                .thenApply(offset -> new Read(read.info, read.cluster, read.nodeId, offset, read.databases, read.clusterNodes,
                        read.openSlotKeys));
    }

    @Override
    public void close() {
        masterProbe.close();
        local.close();
    }
}
