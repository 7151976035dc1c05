package io.warden.bench.failover;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks Redis nodes their {@code ROLE} over connections kept open between questions (polling every 25 ms must not
 * open a connection each time). A node that does not answer within half a second has no role.
 */
final class RoleProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisClient client = RedisClient.create();
    private final Map<InetSocketAddress, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

    RoleProbe() {
        // A probe asks again in 25 ms anyway; a reconnecting connection would only retry a dead node.
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
    }

    /** "master", "slave", "sentinel", or empty when the node is down or does not answer in time. */
    Optional<String> role(InetSocketAddress node) {
        try {
            List<Object> role = connection(node).sync().role();
            return role.isEmpty() ? Optional.empty() : Optional.of(String.valueOf(role.get(0)));
        } catch (RuntimeException e) {
            drop(node);
            return Optional.empty();
        }
    }

    boolean isMaster(InetSocketAddress node) {
        return role(node).filter("master"::equals).isPresent();
    }

    /** The old master no longer takes writes (down or demoted) and one of {@code candidates} is master. */
    boolean moved(InetSocketAddress oldMaster, List<InetSocketAddress> candidates) {
        return !isMaster(oldMaster) && candidates.stream().anyMatch(this::isMaster);
    }

    /** The first of {@code nodes} that says it is master: a client that asks every node it knows. */
    Optional<InetSocketAddress> firstMaster(List<InetSocketAddress> nodes) {
        return nodes.stream().filter(this::isMaster).findFirst();
    }

    private StatefulRedisConnection<String, String> connection(InetSocketAddress node) {
        return connections.computeIfAbsent(node, n -> {
            RedisURI uri = RedisURI.create(n.getHostString(), n.getPort());
            uri.setTimeout(TIMEOUT);
            StatefulRedisConnection<String, String> c = client.connect(uri);
            c.setTimeout(TIMEOUT);
            return c;
        });
    }

    private void drop(InetSocketAddress node) {
        StatefulRedisConnection<String, String> c = connections.remove(node);
        if (c != null) {
            c.closeAsync();
        }
    }

    @Override
    public void close() {
        connections.values().forEach(StatefulRedisConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
