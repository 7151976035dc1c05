package io.warden.coordinator.kube;

import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The requested shape in a ConfigMap and the StatefulSet's replicas, through the official client, on a CRUD API server. */
class ScaleOnKubernetesIT {

    private static final String NS = "warden";

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    @Test
    void theShapeOutlivesTheCoordinatorInAConfigMap() throws Exception {
        ConfigMapShapeStore store = new ConfigMapShapeStore(kube.client(), NS, "warden-shape");
        assertEquals(Optional.empty(), store.load());

        store.save(new DesiredShape(Mode.CLUSTER, 4, 1, true));
        store.save(new DesiredShape(Mode.CLUSTER, 5, 2, true));

        assertEquals(Optional.of(new DesiredShape(Mode.CLUSTER, 5, 2, true)),
                new ConfigMapShapeStore(kube.client(), NS, "warden-shape").load(), "a new coordinator's client reads what the last one stored");
    }

    @Test
    void theStatefulSetGrowsAtOnceAndShrinksOnlyPastPodsThatHoldNothing() throws Exception {
        AppsV1Api apps = new AppsV1Api(kube.client());
        apps.createNamespacedStatefulSet(NS, new V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet")
                .metadata(new V1ObjectMeta().name("redis").namespace(NS))
                .spec(new V1StatefulSetSpec().replicas(6).serviceName("redis").selector(new V1LabelSelector().putMatchLabelsItem("app", "redis"))
                        .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().putLabelsItem("app", "redis"))))).execute();
        StatefulSetPool pool = new StatefulSetPool(kube.client(), NS, "redis");

        pool.reconcile(new DesiredShape(Mode.CLUSTER, 4, 1, true), Set.of(), List.of());
        assertEquals(8, replicas(apps));

        // Back to 3 × 1: redis-6 and redis-7 retire; redis-7 is empty, redis-6 still holds slots.
        List<String> released = pool.reconcile(new DesiredShape(Mode.CLUSTER, 3, 1, true), Set.of("redis-6", "redis-7"), List.of("redis-7"));
        assertEquals(7, replicas(apps), "redis-6 keeps running while it holds something");
        assertEquals(List.of("redis-7"), released);

        released = pool.reconcile(new DesiredShape(Mode.CLUSTER, 3, 1, true), Set.of("redis-6", "redis-7"), List.of("redis-6", "redis-7"));
        assertEquals(6, replicas(apps));
        assertEquals(List.of("redis-6", "redis-7"), released);
        assertEquals("redis", apps.readNamespacedStatefulSet("redis", NS).execute().getSpec().getServiceName(), "only replicas was patched");
    }

    private static int replicas(AppsV1Api apps) throws Exception {
        return apps.readNamespacedStatefulSet("redis", NS).execute().getSpec().getReplicas();
    }
}
