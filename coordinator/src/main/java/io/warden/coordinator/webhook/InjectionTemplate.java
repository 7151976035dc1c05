package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import io.warden.common.config.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the webhook injects, read from one file: a partial Pod in YAML (mounted from a ConfigMap), checked
 * against the official client's model classes at start, so a typo stops the coordinator rather than every pod.
 * Nothing about what is injected is written in code.
 * <ul>
 *   <li>{@code metadata.annotations}: added when absent; must hold {@value #STATUS_ANNOTATION}, whose presence
 *       marks a pod as injected;</li>
 *   <li>{@code spec.initContainers} and {@code spec.volumes}: added by name when absent (the restore step and
 *       the agent's native sidecar);</li>
 *   <li>{@code spec.containers}: exactly one, named as the pod's Redis container; its fields (preStop,
 *       probes, mounts) are added to that container where absent.</li>
 * </ul>
 */
public final class InjectionTemplate {

    public static final String STATUS_ANNOTATION = "warden.io/injected";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode annotations;
    private final ArrayNode initContainers;
    private final ArrayNode volumes;
    private final ObjectNode redisContainer;

    private InjectionTemplate(ObjectNode annotations, ArrayNode initContainers, ArrayNode volumes, ObjectNode redisContainer) {
        this.annotations = annotations;
        this.initContainers = initContainers;
        this.volumes = volumes;
        this.redisContainer = redisContainer;
    }

    /** Reads the template named by WARDEN_WEBHOOK_TEMPLATE_FILE; any problem is a {@link ConfigException} naming it. */
    public static InjectionTemplate load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("WARDEN_WEBHOOK_TEMPLATE_FILE", file + " is not a valid injection template: " + oneLine(e));
        }
    }

    /**
     * The template from its YAML text. It must parse into the client's {@link V1Pod} (no unknown field, no wrong
     * type), but what is injected is the text as written: the model would add empty lists nobody wrote.
     *
     * @throws IllegalArgumentException or the YAML parser's exception, saying what is wrong
     */
    public static InjectionTemplate parse(String yaml) {
        Yaml.loadAs(yaml, V1Pod.class);
        Object raw = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(raw instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("the template is not a YAML mapping");
        }
        JsonNode tree = MAPPER.valueToTree(raw);
        JsonNode annotations = tree.path("metadata").path("annotations");
        if (!annotations.has(STATUS_ANNOTATION)) {
            throw new IllegalArgumentException("metadata.annotations must hold " + STATUS_ANNOTATION + ", the mark of an injected pod");
        }
        JsonNode spec = tree.path("spec");
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.size() != 1 || !containers.get(0).hasNonNull("name")) {
            throw new IllegalArgumentException("spec.containers must hold exactly one named container: what to add to the pod's Redis container");
        }
        ArrayNode init = named(spec, "initContainers");
        if (init.isEmpty()) {
            throw new IllegalArgumentException("spec.initContainers must hold the containers to inject (the agent)");
        }
        return new InjectionTemplate((ObjectNode) annotations, init, named(spec, "volumes"), (ObjectNode) containers.get(0));
    }

    private static ArrayNode named(JsonNode spec, String field) {
        JsonNode list = spec.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return MAPPER.createArrayNode();
        }
        for (JsonNode item : list) {
            if (!item.hasNonNull("name")) {
                throw new IllegalArgumentException("every entry of spec." + field + " needs a name");
            }
        }
        return (ArrayNode) list;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    ObjectNode annotations() {
        return annotations.deepCopy();
    }

    ArrayNode initContainers() {
        return initContainers.deepCopy();
    }

    ArrayNode volumes() {
        return volumes.deepCopy();
    }

    /** The fields to add to the Redis container; its name says which container of the pod that is. */
    ObjectNode redisContainer() {
        return redisContainer.deepCopy();
    }

    String redisContainerName() {
        return redisContainer.get("name").asText();
    }
}
