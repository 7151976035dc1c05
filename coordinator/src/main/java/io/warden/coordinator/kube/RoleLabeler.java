package io.warden.coordinator.kube;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sets the {@value #ROLE_LABEL} label that a plain Service selects the master by (replication mode). Blocking:
 * call it off the event loop.
 */
public final class RoleLabeler {

    public static final String ROLE_LABEL = "warden.io/role";

    private final ApiClient client;
    private final CoreV1Api core;

    public RoleLabeler(ApiClient client) {
        this.client = client;
        this.core = new CoreV1Api(client);
    }

    /**
     * Labels the pod with {@code role}, unless it already carries it. A JSON merge patch touches that one label
     * only (strategic merge patch would do as well on a real API server, but test servers refuse it).
     *
     * @return whether the pod was patched
     */
    public boolean label(String namespace, String podName, String role) throws ApiException {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
        if (role.equals(labels(pod).get(ROLE_LABEL))) {
            return false;
        }
        V1Patch patch = new V1Patch(JSON.serialize(Map.of("metadata", Map.of("labels", Map.of(ROLE_LABEL, role)))));
        PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPod(podName, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        return true;
    }

    /** Pod name to role label ("" when unlabelled) for the pods matching {@code labelSelector}. */
    public Map<String, String> roles(String namespace, String labelSelector) throws ApiException {
        Map<String, String> roles = new TreeMap<>();
        for (V1Pod pod : core.listNamespacedPod(namespace).labelSelector(labelSelector).execute().getItems()) {
            roles.put(pod.getMetadata().getName(), labels(pod).getOrDefault(ROLE_LABEL, ""));
        }
        return roles;
    }

    private static Map<String, String> labels(V1Pod pod) {
        V1ObjectMeta metadata = pod.getMetadata();
        return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    }
}
