package io.warden.coordinator.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.warden.coordinator.scale.ShapeStore;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;

import java.util.Map;
import java.util.Optional;

/**
 * The requested shape in a ConfigMap ({@code data: mode, shards, replicas}), through the official client: read on
 * start, created or replaced on each request. RBAC: {@code configmaps} get, create, update in the namespace.
 */
public final class ConfigMapShapeStore implements ShapeStore {

    private final CoreV1Api core;
    private final String namespace;
    private final String name;

    public ConfigMapShapeStore(ApiClient client, String namespace, String name) {
        this.core = new CoreV1Api(client);
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public Optional<DesiredShape> load() throws ApiException {
        V1ConfigMap map;
        try {
            map = core.readNamespacedConfigMap(name, namespace).execute();
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
        try {
            return Optional.of(new DesiredShape(Mode.parse(data.getOrDefault("mode", "")), Integer.parseInt(data.getOrDefault("shards", "")),
                    Integer.parseInt(data.getOrDefault("replicas", "")), true));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ConfigMap " + namespace + "/" + name + " does not hold a shape (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void save(DesiredShape shape) throws ApiException {
        V1ConfigMap map = new V1ConfigMap().apiVersion("v1").kind("ConfigMap")
                .metadata(new V1ObjectMeta().name(name).namespace(namespace).putLabelsItem("app.kubernetes.io/managed-by", "warden"))
                .data(Map.of("mode", shape.mode().wireName(), "shards", Integer.toString(shape.shards()),
                        "replicas", Integer.toString(shape.replicas())));
        try {
            // No resourceVersion: the leader's word replaces whatever was there.
            core.replaceNamespacedConfigMap(name, namespace, map).execute();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            core.createNamespacedConfigMap(namespace, map).execute();
        }
    }
}
