package io.warden.coordinator.it;

import io.warden.coordinator.kube.KubeApiMock;
import io.warden.coordinator.kube.RoleLabeler;
import io.warden.coordinator.kube.RolePublisher;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/** Replication mode labels pods {@code warden.io/role} from what Redis reports, through the official client. */
class RoleLabelsIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    @Test
    void podsAreLabelledWithTheRoleTheirRedisReports() throws Exception {
        kube.createRedisPods("default", 3);
        RoleLabeler labeler = new RoleLabeler(kube.client());
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2);
             RolePublisher publisher = new RolePublisher(labeler, "default")) {
            d.startCoordinator(d::localElection, publisher);
            TopologyDocument doc = d.awaitHealthy();
            String master = doc.shards().get(0).master().name();

            Eventually.await(Duration.ofSeconds(20), "one master label and two replica labels", () -> {
                Map<String, String> roles = roles(labeler);
                return roles.size() == 3 && "master".equals(roles.get(master))
                        && roles.values().stream().filter("replica"::equals).count() == 2;
            }, () -> roles(labeler).toString());
        }
    }

    private static Map<String, String> roles(RoleLabeler labeler) {
        try {
            return labeler.roles("default", null);
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }
}
