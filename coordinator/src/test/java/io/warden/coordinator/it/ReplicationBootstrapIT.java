package io.warden.coordinator.it;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replication mode: three empty servers become one master with two replicas in sync. */
class ReplicationBootstrapIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void oneMasterAndTwoReplicasInSync() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();

            assertEquals("replication", doc.mode());
            assertNull(doc.slotsCovered(), "no slots in replication mode");
            assertEquals(1, doc.shards().size());
            assertEquals(2, doc.shards().get(0).replicas().size());
            RedisServer master = d.servers().stream().filter(s -> s.address().equals(doc.shards().get(0).master().redis())).findFirst().orElseThrow();
            master.commands().set("written-on-master", "v");
            String info = master.commands().info("replication");
            assertTrue(info.contains("connected_slaves:2"), info);
        }
    }

    @Test
    void theNodeHoldingDataBecomesTheMaster() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            RedisServer withData = d.servers().get(2);
            withData.commands().set("precious", "data");
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();

            assertEquals(withData.address(), doc.shards().get(0).master().redis());
            assertEquals("data", d.servers().get(0).commands().get("precious"), "a replica has the data");
        }
    }
}
