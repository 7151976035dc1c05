package io.warden.coordinator.manifests;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.ModelMapper;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The YAML under manifests/, each document parsed into the official client's model class for its kind (a
 * Kustomization stays a map; kinds the client has no class for, such as cert-manager's and the Prometheus
 * Operator's, become its {@link DynamicKubernetesObject}). Parsing is strict: an unknown field fails.
 */
final class Manifests {

    /** One YAML document of one file. */
    record Doc(Path file, Map<String, Object> raw, Object model) {

        String kind() {
            return String.valueOf(raw.get("kind"));
        }

        String name() {
            Object metadata = raw.get("metadata");
            return metadata instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "";
        }

        @Override
        public String toString() {
            return RepoFiles.manifests().relativize(file) + " " + kind() + "/" + name();
        }
    }

    private Manifests() {
    }

    static List<Doc> all() {
        return RepoFiles.under(RepoFiles.manifests(), ".yaml", ".yml").stream().flatMap(f -> load(f).stream()).toList();
    }

    static List<Doc> under(String dir) {
        return RepoFiles.under(RepoFiles.manifests().resolve(dir), ".yaml", ".yml").stream().flatMap(f -> load(f).stream()).toList();
    }

    private static final Map<Path, List<Doc>> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The documents of one file, parsed once per test run (the models are shared: do not change them). */
    static List<Doc> load(Path file) {
        return LOADED.computeIfAbsent(file, Manifests::parse);
    }

    private static List<Doc> parse(Path file) {
        return parse(file, RepoFiles.read(file));
    }

    /** The documents of YAML text (e.g. what kustomize rendered), {@code origin} naming it in messages. */
    static List<Doc> parse(Path origin, String text) {
        Path file = origin;
        List<Doc> docs = new ArrayList<>();
        for (Object raw : new org.yaml.snakeyaml.Yaml().loadAll(text)) {
            if (raw == null) {
                continue;
            }
            if (!(raw instanceof Map<?, ?> map)) {
                throw new AssertionError(file + ": a YAML document that is not a mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) map;
            docs.add(new Doc(file, doc, model(file, doc)));
        }
        return List.copyOf(docs);
    }

    private static Object model(Path file, Map<String, Object> doc) {
        String apiVersion = String.valueOf(doc.get("apiVersion"));
        String kind = String.valueOf(doc.get("kind"));
        if (kind.equals("Kustomization") || kind.equals("Component")) {
            return doc;
        }
        Class<?> type = ModelMapper.getApiTypeClass(apiVersion, kind);
        String yaml = new org.yaml.snakeyaml.Yaml().dump(doc);
        try {
            if (type == null || type == DynamicKubernetesObject.class) {
                JsonObject json = JsonParser.parseString(JSON.serialize(doc)).getAsJsonObject();
                return new DynamicKubernetesObject(json);
            }
            return Yaml.loadAs(yaml, type);
        } catch (RuntimeException e) {
            throw new AssertionError(file + ": " + kind + " does not parse into " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    static <T> List<T> models(List<Doc> docs, Class<T> type) {
        return docs.stream().map(Doc::model).filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T one(List<Doc> docs, Class<T> type, String name) {
        return docs.stream().filter(d -> type.isInstance(d.model()) && d.name().equals(name)).map(d -> type.cast(d.model()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    static List<Doc> base() {
        return under("base");
    }

    static V1StatefulSet redisStatefulSet() {
        return one(base(), V1StatefulSet.class, "redis");
    }

    static V1Deployment coordinatorDeployment() {
        return one(base(), V1Deployment.class, "warden-coordinator");
    }

    static V1Role coordinatorRole() {
        return one(base(), V1Role.class, "warden-coordinator");
    }

    static V1Pod injectionTemplate() {
        return (V1Pod) load(RepoFiles.manifests().resolve("base/injection/template.yaml")).get(0).model();
    }

    static Path injectionTemplateFile() {
        return RepoFiles.manifests().resolve("base/injection/template.yaml");
    }

    static V1Container container(List<V1Container> containers, String name) {
        return Stream.ofNullable(containers).flatMap(List::stream).filter(c -> Objects.equals(c.getName(), name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container named " + name));
    }
}
