package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pure: from a pod (as JSON) and the template, the JSON Patch that injects Warden. Adds only what is absent,
 * never changes what the pod already says, so applying it twice is the same as once.
 * <ol>
 *   <li>A pod with the status annotation is left alone.</li>
 *   <li>The Redis container is the one named as the template's container, else the pod's only container.</li>
 *   <li>Template init containers and volumes missing by name are appended (the array created if absent).</li>
 *   <li>The Redis container gets each template field it lacks (preStop, probes); named lists (env,
 *       volumeMounts, ports) get the entries missing by name.</li>
 *   <li>The template's annotations missing from the pod are added, the status annotation among them.</li>
 * </ol>
 * A pod whose injected containers would mount a volume it does not have is declined: the API server would
 * refuse the patched pod, and an unchanged pod with a warning says more.
 */
public final class PodInjector {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> NAMED_LISTS = Set.of("env", "volumeMounts", "ports", "volumeDevices");

    private final InjectionTemplate template;

    public PodInjector(InjectionTemplate template) {
        this.template = template;
    }

    public Injection inject(JsonNode pod) {
        if (!pod.isObject()) {
            return new Injection.Declined("the review's object is not a pod");
        }
        if (pod.path("metadata").path("annotations").has(InjectionTemplate.STATUS_ANNOTATION)) {
            return new Injection.AlreadyInjected();
        }
        JsonNode spec = pod.path("spec");
        JsonNode containers = spec.path("containers");
        int redis = redisContainer(containers);
        if (redis < 0) {
            return new Injection.Declined("warden: no container named '" + template.redisContainerName()
                    + "' among several; the agent was not injected");
        }
        ArrayNode ops = JSON.arrayNode();
        ArrayNode addedInit = appendMissing(ops, "/spec/initContainers", spec.path("initContainers"), template.initContainers());
        ArrayNode addedVolumes = appendMissing(ops, "/spec/volumes", spec.path("volumes"), template.volumes());
        ArrayNode addedMounts = fillContainer(ops, "/spec/containers/" + redis, containers.get(redis), template.redisContainer());
        addAnnotations(ops, pod.path("metadata"));

        Set<String> missing = missingVolumes(spec.path("volumes"), addedVolumes, addedInit, addedMounts);
        if (!missing.isEmpty()) {
            return new Injection.Declined("warden: the pod has no volume " + String.join(", ", missing)
                    + " that the injected containers mount (in a StatefulSet: a volumeClaimTemplate); the agent was not injected");
        }
        return new Injection.Patch(ops);
    }

    private int redisContainer(JsonNode containers) {
        if (!containers.isArray() || containers.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (template.redisContainerName().equals(containers.get(i).path("name").asText())) {
                return i;
            }
        }
        return containers.size() == 1 ? 0 : -1;
    }

    /** Appends the template entries whose names the pod's list lacks; returns those entries. */
    private static ArrayNode appendMissing(ArrayNode ops, String path, JsonNode present, ArrayNode wanted) {
        Set<String> names = names(present);
        ArrayNode missing = JSON.arrayNode();
        for (JsonNode entry : wanted) {
            if (!names.contains(entry.get("name").asText())) {
                missing.add(entry);
            }
        }
        if (missing.isEmpty()) {
            return missing;
        }
        if (!present.isArray()) {
            ops.add(add(path, missing));
        } else {
            missing.forEach(entry -> ops.add(add(path + "/-", entry)));
        }
        return missing;
    }

    /** Adds the template container's fields the pod's container lacks; returns the volume mounts it added. */
    private static ArrayNode fillContainer(ArrayNode ops, String path, JsonNode container, ObjectNode wanted) {
        ArrayNode mounts = JSON.arrayNode();
        Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("name")) {
                continue;
            }
            JsonNode present = container.path(name);
            if (NAMED_LISTS.contains(name) && field.getValue().isArray()) {
                ArrayNode added = appendMissing(ops, path + "/" + name, present, (ArrayNode) field.getValue());
                if (name.equals("volumeMounts")) {
                    mounts.addAll(added);
                }
            } else if (present.isMissingNode() || present.isNull()) {
                ops.add(add(path + "/" + name, field.getValue()));
            }
        }
        return mounts;
    }

    private void addAnnotations(ArrayNode ops, JsonNode metadata) {
        JsonNode present = metadata.path("annotations");
        ObjectNode wanted = template.annotations();
        if (!present.isObject()) {
            if (!metadata.isObject()) {
                ops.add(add("/metadata", JSON.objectNode().set("annotations", wanted)));
            } else {
                ops.add(add("/metadata/annotations", wanted));
            }
            return;
        }
        wanted.fields().forEachRemaining(e -> {
            if (!present.has(e.getKey())) {
                ops.add(add("/metadata/annotations/" + escape(e.getKey()), e.getValue()));
            }
        });
    }

    private static Set<String> missingVolumes(JsonNode podVolumes, ArrayNode addedVolumes, ArrayNode addedInit, ArrayNode addedMounts) {
        Set<String> available = names(podVolumes);
        available.addAll(names(addedVolumes));
        Set<String> missing = new TreeSet<>();
        for (JsonNode c : addedInit) {
            for (JsonNode m : c.path("volumeMounts")) {
                missing.add(m.path("name").asText());
            }
        }
        addedMounts.forEach(m -> missing.add(m.path("name").asText()));
        missing.removeAll(available);
        return missing;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        if (list.isArray()) {
            list.forEach(entry -> names.add(entry.path("name").asText()));
        }
        return names;
    }

    private static ObjectNode add(String path, JsonNode value) {
        return JSON.objectNode().put("op", "add").put("path", path).set("value", value);
    }

    /** RFC 6901: '~' is written '~0' and '/' is written '~1' inside a key. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
