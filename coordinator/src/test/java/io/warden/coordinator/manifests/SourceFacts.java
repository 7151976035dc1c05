package io.warden.coordinator.manifests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code reads and calls, read from its sources, so that the manifests are checked against the code as
 * it is (and as it will be once other branches merge) rather than against a copy of it in a test.
 */
final class SourceFacts {

    private static final Pattern ENV_LITERAL = Pattern.compile("\"((?:WARDEN|POD|NODE|KUBERNETES)_[A-Z0-9_]+)\"");
    /** Env.secret("X") reads X and X_FILE. */
    private static final Pattern SECRET_READ = Pattern.compile("\\.secret\\(\\s*\"([A-Z0-9_]+)\"");
    private static final Pattern KUBE_CALL = Pattern.compile(
            "\\b(read|list|create|replace|patch|delete|deleteCollection)Namespaced([A-Z][A-Za-z]*)\\(");
    private static final Pattern KUBE_CLUSTER_CALL = Pattern.compile("\\b\\w+ForAllNamespaces\\(|\\bGenericKubernetesApi\\b|\\bKubectl\\.");

    private static final Map<String, String> VERBS = Map.of(
            "read", "get", "list", "list", "create", "create", "replace", "update", "patch", "patch",
            "delete", "delete", "deleteCollection", "deletecollection");
    /** The official client's kind in a method name, to the RBAC resource and API group it touches. */
    private static final Map<String, String[]> RESOURCES = Map.of(
            "Pod", new String[] {"", "pods"},
            "PodStatus", new String[] {"", "pods/status"},
            "ConfigMap", new String[] {"", "configmaps"},
            "Event", new String[] {"", "events"},
            "Lease", new String[] {"coordination.k8s.io", "leases"},
            "StatefulSet", new String[] {"apps", "statefulsets"},
            "StatefulSetScale", new String[] {"apps", "statefulsets/scale"},
            "StatefulSetStatus", new String[] {"apps", "statefulsets/status"});

    private SourceFacts() {
    }

    /** Environment variable names that appear in the main sources of {@code modules} (common always included). */
    static Set<String> envNames(String... modules) {
        Set<String> names = new TreeSet<>();
        for (Path file : sources(modules)) {
            String text = RepoFiles.read(file);
            ENV_LITERAL.matcher(text).results().forEach(m -> names.add(m.group(1)));
            SECRET_READ.matcher(text).results().forEach(m -> names.add(m.group(1) + "_FILE"));
        }
        return names;
    }

    /** "resource verb" for every Kubernetes API call in the coordinator's sources, e.g. "pods patch". */
    static Set<String> coordinatorKubernetesCalls() {
        Set<String> calls = new TreeSet<>();
        for (Path file : RepoFiles.mainSources("coordinator")) {
            String text = RepoFiles.read(file);
            Matcher unsupported = KUBE_CLUSTER_CALL.matcher(text);
            if (unsupported.find()) {
                throw new AssertionError(file + " calls the API through " + unsupported.group()
                        + ", which this check cannot map to RBAC rules: teach SourceFacts about it");
            }
            Matcher call = KUBE_CALL.matcher(text);
            while (call.find()) {
                String[] resource = RESOURCES.get(call.group(2));
                if (resource == null) {
                    throw new AssertionError(file + " calls " + call.group() + ": add its resource to SourceFacts.RESOURCES");
                }
                calls.add(resource[1] + " " + VERBS.get(call.group(1)));
            }
        }
        return calls;
    }

    /** The API group of an RBAC resource the coordinator may call. */
    static String apiGroup(String resource) {
        return RESOURCES.values().stream().filter(r -> r[1].equals(resource)).map(r -> r[0]).findFirst()
                .orElseThrow(() -> new AssertionError("unknown resource " + resource));
    }

    /** Whether any main source of {@code module} contains {@code literal} as a Java string literal. */
    static boolean hasStringLiteral(String module, String literal) {
        String quoted = "\"" + literal + "\"";
        return sources(module).stream().anyMatch(f -> RepoFiles.read(f).contains(quoted));
    }

    private static List<Path> sources(String... modules) {
        return Stream.concat(Stream.of("common"), Stream.of(modules)).distinct()
                .flatMap(m -> RepoFiles.mainSources(m).stream()).toList();
    }
}
