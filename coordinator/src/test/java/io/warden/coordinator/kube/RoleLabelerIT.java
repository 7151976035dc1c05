package io.warden.coordinator.kube;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role label against an API server in CRUD mode, through the official client. */
class RoleLabelerIT {

    private static final String NS = "warden";

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    @Test
    void labelsAPodAsMasterThenReplica() throws Exception {
        CoreV1Api core = new CoreV1Api(kube.client());
        createPod(core, "redis-0");
        createPod(core, "redis-1");
        RoleLabeler labeler = new RoleLabeler(kube.client());

        assertTrue(labeler.label(NS, "redis-0", "master"));
        assertEquals("master", labelOf(core, "redis-0"));
        assertEquals("redis", core.readNamespacedPod("redis-0", NS).execute().getMetadata().getLabels().get("app"),
                "the merge patch leaves other labels alone");
        assertEquals(Map.of("redis-0", "master", "redis-1", ""), labeler.roles(NS, "app=redis"));

        assertTrue(labeler.label(NS, "redis-0", "replica"));
        assertEquals("replica", labelOf(core, "redis-0"));
        String version = core.readNamespacedPod("redis-0", NS).execute().getMetadata().getResourceVersion();

        assertFalse(labeler.label(NS, "redis-0", "replica"), "a label already in place is not patched again");
        assertEquals(version, core.readNamespacedPod("redis-0", NS).execute().getMetadata().getResourceVersion());
        assertEquals(Map.of("redis-0", "replica", "redis-1", ""), labeler.roles(NS, "app=redis"));
    }

    private static void createPod(CoreV1Api core, String name) throws Exception {
        core.createNamespacedPod(NS, new V1Pod().kind("Pod").apiVersion("v1")
                .metadata(new V1ObjectMeta().name(name).namespace(NS).putLabelsItem("app", "redis"))).execute();
    }

    private static String labelOf(CoreV1Api core, String name) throws Exception {
        return core.readNamespacedPod(name, NS).execute().getMetadata().getLabels().get(RoleLabeler.ROLE_LABEL);
    }
}
