package io.warden.coordinator.kube;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.PatchUtils;
import io.warden.coordinator.scale.NodePool;
import io.warden.coordinator.topology.DesiredShape;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Redis pods' StatefulSet as the node pool. A StatefulSet removes its highest ordinals first, so its
 * {@code replicas} become the nodes the shape needs, or more while a retiring pod beyond them still holds something
 * (its ordinal + 1). Patched with a JSON merge patch of {@code spec.replicas} only when it differs. RBAC:
 * {@code statefulsets} (apps) get, patch in the namespace.
 */
public final class StatefulSetPool implements NodePool {

    private final ApiClient client;
    private final AppsV1Api apps;
    private final String namespace;
    private final String name;

    public StatefulSetPool(ApiClient client, String namespace, String name) {
        this.client = client;
        this.apps = new AppsV1Api(client);
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public Limits limits() {
        return new Limits(Integer.MAX_VALUE, "", false);
    }

    @Override
    public List<String> reconcile(DesiredShape shape, Set<String> retiring, List<String> releasable) throws ApiException {
        int wanted = shape.nodesNeeded();
        for (String pod : retiring) {
            if (!releasable.contains(pod)) {
                wanted = Math.max(wanted, ordinal(pod) + 1);
            }
        }
        V1StatefulSet set = apps.readNamespacedStatefulSet(name, namespace).execute();
        Integer current = set.getSpec() == null ? null : set.getSpec().getReplicas();
        if (current == null || current != wanted) {
            V1Patch patch = new V1Patch(JSON.serialize(Map.of("spec", Map.of("replicas", wanted))));
            PatchUtils.patch(V1StatefulSet.class, () -> apps.patchNamespacedStatefulSet(name, namespace, patch).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        }
        // The pods beyond the new count are gone or going: their reports are dropped (they are not "unreachable").
        int count = wanted;
        return releasable.stream().filter(pod -> ordinal(pod) >= count).toList();
    }

    /** The ordinal ending a StatefulSet pod's name ({@code redis-7} → 7). */
    static int ordinal(String pod) {
        try {
            return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(pod + " is not a StatefulSet pod name (no ordinal)", e);
        }
    }
}
