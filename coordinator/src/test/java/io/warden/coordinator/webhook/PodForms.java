package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The two forms of a Redis pod: the injected one the base StatefulSet creates (as the StatefulSet controller
 * would: its template, a name, and the "data" volume of its claim template), and the plain one a user would
 * write: that pod without what the injection template adds.
 */
final class PodForms {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private PodForms() {
    }

    static Path manifests() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("manifests"))) {
            dir = dir.getParent();
        }
        return dir.resolve("manifests");
    }

    static Path templateFile() {
        return manifests().resolve("base/injection/template.yaml");
    }

    static ObjectNode injected() throws Exception {
        JsonNode sts = yaml(manifests().resolve("base/redis-statefulset.yaml"));
        ObjectNode template = (ObjectNode) sts.get("spec").get("template").deepCopy();
        ObjectNode pod = MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = ((ObjectNode) template.get("metadata")).put("name", "redis-0").put("namespace", "warden");
        pod.set("metadata", metadata);
        ObjectNode spec = (ObjectNode) template.get("spec");
        ObjectNode data = MAPPER.createObjectNode().put("name", "data");
        data.putObject("persistentVolumeClaim").put("claimName", "data-redis-0");
        ((ArrayNode) spec.get("volumes")).insert(0, data);
        pod.set("spec", spec);
        return pod;
    }

    /** The injected pod less every init container, volume, Redis field and annotation the template adds. */
    static ObjectNode plain() throws Exception {
        ObjectNode pod = injected();
        JsonNode template = yaml(templateFile());
        ObjectNode spec = (ObjectNode) pod.get("spec");
        removeNamed(spec, "initContainers", names(template.path("spec").path("initContainers")));
        removeNamed(spec, "volumes", names(template.path("spec").path("volumes")));
        JsonNode redisFields = template.path("spec").path("containers").get(0);
        for (JsonNode container : spec.get("containers")) {
            if (container.path("name").asText().equals(redisFields.get("name").asText())) {
                redisFields.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("name")) {
                        ((ObjectNode) container).remove(f);
                    }
                });
            }
        }
        ObjectNode annotations = (ObjectNode) pod.get("metadata").get("annotations");
        template.path("metadata").path("annotations").fieldNames().forEachRemaining(annotations::remove);
        if (annotations.isEmpty()) {
            ((ObjectNode) pod.get("metadata")).remove("annotations");
        }
        return pod;
    }

    /** A YAML file as written (no model defaults), as JSON. */
    static JsonNode yaml(Path file) throws Exception {
        return MAPPER.valueToTree(new org.yaml.snakeyaml.Yaml().load(Files.readString(file)));
    }

    /** Volumes in name order: their order means nothing to Kubernetes. */
    static JsonNode normalized(JsonNode pod) {
        JsonNode copy = pod.deepCopy();
        ArrayNode volumes = (ArrayNode) copy.path("spec").path("volumes");
        List<JsonNode> sorted = new ArrayList<>();
        volumes.forEach(sorted::add);
        sorted.sort(Comparator.comparing(v -> v.path("name").asText()));
        volumes.removeAll();
        volumes.addAll(sorted);
        return copy;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    private static void removeNamed(ObjectNode spec, String field, Set<String> names) {
        ArrayNode list = (ArrayNode) spec.get(field);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (names.contains(list.get(i).path("name").asText())) {
                list.remove(i);
            }
        }
        if (list.isEmpty()) {
            spec.remove(field);
        }
    }
}
