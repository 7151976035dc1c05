package io.warden.bench.failover;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis with Sentinel as its users run it: 1 master + 2 replicas and 3 sentinels (quorum 2), each on its own
 * loopback address. Clients find the master as Sentinel clients do: {@code SENTINEL get-master-addr-by-name},
 * asking the sentinels in turn. Closing stops the sentinels, then the servers, and deletes their directories.
 */
final class SentinelGroup implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisServers servers = new RedisServers();
    private final List<SentinelProcess> sentinels = new ArrayList<>();
    private final RedisClient client = RedisClient.create();
    private final Map<InetSocketAddress, StatefulRedisSentinelConnection<String, String>> connections = new ConcurrentHashMap<>();
    private RedisServer master;
    private final List<RedisServer> replicas = new ArrayList<>();

    private SentinelGroup() {
    }

    static SentinelGroup start(int downAfterMs) {
        SentinelGroup group = new SentinelGroup();
        try {
            group.create(downAfterMs);
            return group;
        } catch (RuntimeException | Error e) {
            group.close();
            throw e;
        }
    }

    private void create(int downAfterMs) {
        master = servers.start(RedisSpec.standalone());
        OwnProcesses.started(master.pid(), "redis-server " + master.address());
        for (int i = 0; i < 2; i++) {
            RedisServer replica = servers.startReplicaInSync(RedisSpec.standalone(), master);
            OwnProcesses.started(replica.pid(), "redis-server " + replica.address());
            replicas.add(replica);
        }
        for (int i = 0; i < 3; i++) {
            sentinels.add(SentinelProcess.start(master, 2, downAfterMs));
        }
        // Ready when every sentinel knows both replicas and the two other sentinels: only then can they agree.
        Eventually.await(SETTLE, "every sentinel to know 2 replicas and 2 other sentinels", () -> sentinels.stream().allMatch(s -> {
            Map<String, String> view = sentinel(s.address()).sync().master(SentinelProcess.MASTER_NAME);
            return "2".equals(view.get("num-slaves")) && "2".equals(view.get("num-other-sentinels")) && "master".equals(view.get("flags"));
        }), () -> sentinels.get(0).logTail());
    }

    /** Where the sentinels say the master is: the first that answers wins, as in Sentinel clients. */
    Optional<InetSocketAddress> locateMaster() {
        for (SentinelProcess s : sentinels) {
            try {
                SocketAddress address = sentinel(s.address()).sync().getMasterAddrByName(SentinelProcess.MASTER_NAME);
                if (address instanceof InetSocketAddress inet) {
                    return Optional.of(new InetSocketAddress(inet.getHostString(), inet.getPort()));
                }
            } catch (RuntimeException e) {
                StatefulRedisSentinelConnection<String, String> broken = connections.remove(s.address());
                if (broken != null) {
                    broken.closeAsync();
                }
            }
        }
        return Optional.empty();
    }

    /** {@code SENTINEL FAILOVER}: a failover without agreement, as an operator issues it. */
    String failover() {
        return sentinel(sentinels.get(0).address()).sync().failover(SentinelProcess.MASTER_NAME);
    }

    RedisServer master() {
        return master;
    }

    List<InetSocketAddress> replicaAddresses() {
        return replicas.stream().map(PlainCluster::socket).toList();
    }

    String sentinelLog() {
        return sentinels.get(0).logTail();
    }

    private StatefulRedisSentinelConnection<String, String> sentinel(InetSocketAddress address) {
        return connections.computeIfAbsent(address, a -> {
            RedisURI uri = RedisURI.create(a.getHostString(), a.getPort());
            uri.setTimeout(TIMEOUT);
            return client.connectSentinel(uri);
        });
    }

    @Override
    public void close() {
        connections.values().forEach(StatefulRedisSentinelConnection::closeAsync);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        sentinels.forEach(SentinelProcess::close);
        servers.servers().forEach(s -> OwnProcesses.stopped(s.pid()));
        servers.close();
    }
}
