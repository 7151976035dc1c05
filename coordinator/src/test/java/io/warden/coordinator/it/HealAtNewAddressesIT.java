package io.warden.coordinator.it;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * DESIGN.md hazard 1: every pod comes back with a new IP (node upgrade, scale to zero and back). nodes.conf
 * holds the old addresses, so the cluster cannot find itself; Warden re-introduces the nodes by ID.
 */
class HealAtNewAddressesIT {

    private static final int KEYS = 2000;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void clusterRestartedWithEveryNodeAtANewAddressHealsWithEveryKey() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            d.awaitHealthy();
            writeKeys(d.servers().get(0));

            Set<String> before = addresses(d.servers());
            for (RedisServer server : d.servers()) {
                d.stopAgent(server);
                server.stop();
            }
            for (RedisServer server : d.servers()) {
                server.restartAt(LoopbackPorts.freeClusterAddress());
                d.startAgent(server);
            }
            assertNotEquals(before, addresses(d.servers()));

            d.awaitHealthy();
            ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);
            assertEquals(KEYS, readKeys(d.servers().get(0)));
        }
    }

    @Test
    void replicationRestartedAtNewAddressesKeepsTheMastersData() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            d.startCoordinator();
            var doc = d.awaitHealthy();
            RedisServer master = d.servers().stream().filter(s -> s.address().equals(doc.shards().get(0).master().redis())).findFirst().orElseThrow();
            for (int i = 0; i < KEYS; i++) {
                master.commands().set("k" + i, "v" + i);
            }
            for (RedisServer server : d.servers()) {
                d.stopAgent(server);
                server.stop();
            }
            for (RedisServer server : d.servers()) {
                server.restartAt(LoopbackPorts.freeAddress());
                d.startAgent(server);
            }
            d.awaitHealthy();
            for (RedisServer server : d.servers()) {
                assertEquals(KEYS, server.commands().dbsize(), server.address() + " has every key");
            }
        }
    }

    private static void writeKeys(RedisServer any) {
        try (Cluster c = new Cluster(any)) {
            for (int i = 0; i < KEYS; i++) {
                c.connection.sync().set("key:" + i, "value:" + i);
            }
        }
    }

    private static int readKeys(RedisServer any) {
        try (Cluster c = new Cluster(any)) {
            int found = 0;
            for (int i = 0; i < KEYS; i++) {
                if (("value:" + i).equals(c.connection.sync().get("key:" + i))) {
                    found++;
                }
            }
            return found;
        }
    }

    private static Set<String> addresses(List<RedisServer> servers) {
        Set<String> all = new HashSet<>();
        servers.forEach(s -> all.add(s.address()));
        return all;
    }

    /** A cluster client for one check; closed with its connection. */
    private static final class Cluster implements AutoCloseable {
        final RedisClusterClient client;
        final StatefulRedisClusterConnection<String, String> connection;

        Cluster(RedisServer seed) {
            client = RedisClusterClient.create(RedisURI.create(seed.host(), seed.port()));
            connection = client.connect();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
