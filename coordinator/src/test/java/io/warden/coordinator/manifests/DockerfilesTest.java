package io.warden.coordinator.manifests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images, checked without a Docker engine: pinned bases, a numeric non-root user, an exec-form java
 * entrypoint with the measured JVM flags, the jar the build really makes, and commands the jar dispatches.
 */
class DockerfilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIRECTIVES = "-XX:CompilerDirectivesFile=";
    /** A tag with a full version (17.0.15_6-jre-jammy) or a digest; never latest or a bare major. */
    private static final Pattern PINNED = Pattern.compile("[\\w./-]+(:\\d+\\.\\d+[\\w.+-]*|@sha256:[0-9a-f]{64})");

    /** One instruction: keyword and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> parse(Path file) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : RepoFiles.read(file).split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            pending.append(line.strip());
            if (line.endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            String[] parts = pending.toString().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            pending.setLength(0);
        }
        return instructions;
    }

    private static List<String> execForm(String args) throws Exception {
        assertTrue(args.startsWith("["), "exec form (no shell to interpret it): " + args);
        return List.of(JSON.readValue(args, String[].class));
    }

    /** The shade plugin's finalName in a module's pom: the jar the build makes. */
    private static String jarOf(String module) {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(RepoFiles.read(RepoFiles.root().resolve(module).resolve("pom.xml")));
        assertTrue(m.find(), module + "/pom.xml names no finalName");
        return module + "/target/" + m.group(1) + ".jar";
    }

    /** The GC bin/warden runs a component with (its measured defaults). */
    private static String gcOf(String optsVariable) {
        return binWardenFlags(optsVariable).stream().filter(f -> f.matches("-XX:\\+Use\\w+GC")).findFirst()
                .orElseThrow(() -> new AssertionError("bin/warden's " + optsVariable + " names no GC"));
    }

    /** bin/warden's default flags for a component (the text between {@code OPTS:=} and the closing brace). */
    private static List<String> binWardenFlags(String optsVariable) {
        Matcher m = Pattern.compile(optsVariable + ":=([^}]*)}").matcher(RepoFiles.read(RepoFiles.root().resolve("bin/warden")));
        assertTrue(m.find(), "bin/warden sets no " + optsVariable);
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /**
     * A compiler directives file bin/warden names (under {@code $root}) is the one the image copies and names, with the
     * diagnostic options unlocked (the flag needs them).
     */
    private static void checkDirectives(String optsVariable, List<String> entrypoint, List<Instruction> runtime) {
        Optional<String> local = directivesFile(optsVariable);
        Optional<String> image = entrypoint.stream().filter(f -> f.startsWith(DIRECTIVES)).findFirst();
        assertEquals(local.isPresent(), image.isPresent(), "bin/warden and the image both use compiler directives, or neither");
        if (local.isEmpty()) {
            return;
        }
        String repoFile = local.get();
        String inImage = image.get().substring(DIRECTIVES.length());
        assertTrue(runtime.stream().anyMatch(i -> i.keyword().equals("COPY") && i.args().equals(repoFile + " " + inImage)),
                "the image copies " + repoFile + " to " + inImage);
        assertTrue(entrypoint.indexOf("-XX:+UnlockDiagnosticVMOptions") >= 0
                && entrypoint.indexOf("-XX:+UnlockDiagnosticVMOptions") < entrypoint.indexOf(image.get()), "diagnostic options unlocked first");
    }

    /** The compiler directives file bin/warden gives a component, relative to the repository. */
    private static Optional<String> directivesFile(String optsVariable) {
        return binWardenFlags(optsVariable).stream().filter(f -> f.startsWith(DIRECTIVES))
                .map(f -> f.substring(DIRECTIVES.length()).replace("$root/", "")).findFirst();
    }

    /** The JVM takes the agent's compiler directives (a file it cannot parse stops it from starting). */
    @Test
    void theAgentsCompilerDirectivesLoad() throws Exception {
        Path file = RepoFiles.root().resolve(directivesFile("WARDEN_JAVA_OPTS").orElseThrow());
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", DIRECTIVES + file, "-version").redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(30, TimeUnit.SECONDS), "java -version did not end");
        assertEquals(0, java.exitValue(), output);
        assertTrue(output.contains("compiler directives added"), output);
    }

    private void checkImage(String dockerfile, String module, String optsVariable, String command) throws Exception {
        Path file = RepoFiles.root().resolve(dockerfile);
        List<Instruction> all = parse(file);
        List<Integer> froms = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                froms.add(i);
            }
        }
        assertEquals(2, froms.size(), dockerfile + ": a build stage and a runtime stage");
        String buildFrom = all.get(froms.get(0)).args();
        assertTrue(buildFrom.endsWith(" AS build"), buildFrom);
        List<Instruction> build = all.subList(froms.get(0), froms.get(1));
        List<Instruction> runtime = all.subList(froms.get(1), all.size());
        String runtimeImage = runtime.get(0).args();
        for (String image : List.of(buildFrom.split(" ")[0], runtimeImage)) {
            assertTrue(PINNED.matcher(image).matches(), dockerfile + ": base image pinned by version: " + image);
        }
        Matcher java = Pattern.compile(":(\\d+)[.\\d_]*-jre").matcher(runtimeImage);
        assertTrue(java.find() && Integer.parseInt(java.group(1)) >= 17, dockerfile + ": a JRE 17+ at run time: " + runtimeImage);

        assertTrue(build.stream().anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("./mvnw") && i.args().contains("-pl " + module)),
                dockerfile + ": built with the Maven wrapper");
        for (Instruction copy : build.stream().filter(i -> i.keyword().equals("COPY")).toList()) {
            String[] paths = copy.args().split("\\s+");
            for (int p = 0; p < paths.length - 1; p++) {
                assertTrue(Files.exists(RepoFiles.root().resolve(paths[p])), dockerfile + " copies " + paths[p] + ", which the repository lacks");
                assertFalse(dockerIgnored(paths[p]), dockerfile + " copies " + paths[p] + ", which .dockerignore leaves out");
            }
        }

        assertTrue(runtime.stream().noneMatch(i -> i.keyword().equals("RUN")), dockerfile + ": the runtime stage runs nothing (no shell needed)");
        String copied = runtime.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::args).findFirst().orElseThrow();
        String[] copyArgs = copied.split("\\s+");
        assertEquals("--from=build", copyArgs[0]);
        assertEquals("/src/" + jarOf(module), copyArgs[1], dockerfile + " copies the jar the build makes");
        String jarInImage = copyArgs[2];

        String user = runtime.stream().filter(i -> i.keyword().equals("USER")).map(Instruction::args).reduce((a, b) -> b).orElse("");
        assertTrue(user.matches("[1-9]\\d*(:[1-9]\\d*)?"), dockerfile + ": a numeric non-root USER, got '" + user + "'");

        List<String> entrypoint = execForm(runtime.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).map(Instruction::args).findFirst().orElseThrow());
        assertEquals("java", entrypoint.get(0));
        assertEquals(List.of("-jar", jarInImage), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.stream().anyMatch(f -> f.matches("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?")), "heap from the container limit");
        assertTrue(entrypoint.contains(gcOf(optsVariable)), "the GC bin/warden measured best: " + gcOf(optsVariable));
        binWardenFlags(optsVariable).stream().filter(f -> f.startsWith("-XX:TieredStopAtLevel=")).forEach(compilers ->
                assertTrue(entrypoint.contains(compilers), dockerfile + ": the compilers bin/warden measured best: " + compilers));
        assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"), "a JVM out of memory exits and is restarted");
        assertTrue(entrypoint.stream().noneMatch(f -> f.startsWith("-Xmx")), "MaxRAMPercentage, not a fixed heap");
        checkDirectives(optsVariable, entrypoint, runtime);
        assertEquals(List.of(command), execForm(runtime.stream().filter(i -> i.keyword().equals("CMD")).map(Instruction::args).findFirst().orElseThrow()));
    }

    private static boolean dockerIgnored(String path) {
        String normalized = path.replaceAll("/$", "");
        for (String line : RepoFiles.read(RepoFiles.root().resolve(".dockerignore")).split("\n")) {
            String rule = line.strip().replaceAll("/$", "");
            if (!rule.isEmpty() && !rule.startsWith("#") && !rule.contains("*") && (normalized.equals(rule) || normalized.startsWith(rule + "/"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void agentImage() throws Exception {
        checkImage("Dockerfile.agent", "agent", "WARDEN_JAVA_OPTS", "agent");
    }

    @Test
    void coordinatorImage() throws Exception {
        checkImage("Dockerfile.coordinator", "coordinator", "WARDEN_COORDINATOR_JAVA_OPTS", "coordinator");
    }

    /** The commands the manifests run in each image are ones its jar's main dispatches. */
    @Test
    void manifestsRunCommandsTheJarsDispatch() {
        Map<String, String> mains = Map.of("warden-agent", "agent/src/main/java/io/warden/agent/AgentMain.java",
                "warden-coordinator", "coordinator/src/main/java/io/warden/coordinator/WardenMain.java");
        Set<String> used = new TreeSet<>();
        List<V1Container> containers = new ArrayList<>();
        containers.addAll(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getInitContainers());
        containers.addAll(Manifests.injectionTemplate().getSpec().getInitContainers());
        Manifests.models(Manifests.base(), V1Deployment.class).forEach(d -> containers.addAll(d.getSpec().getTemplate().getSpec().getContainers()));
        for (V1Container c : containers) {
            String image = c.getImage().replaceAll(":.*", "");
            assertTrue(mains.containsKey(image), c.getName() + " runs an image this repository does not build: " + c.getImage());
            List<String> args = c.getArgs();
            String command = args.size() > 1 && !args.get(1).startsWith("-") ? args.get(0) + " " + args.get(1) : args.get(0);
            used.add(image + ": " + command);
            String main = RepoFiles.read(RepoFiles.root().resolve(mains.get(image)));
            assertTrue(main.contains("\"" + args.get(0) + "\""), mains.get(image) + " dispatches no '" + args.get(0) + "'");
            if (command.contains(" ")) {
                String module = image.equals("warden-agent") ? "agent" : "coordinator";
                boolean dispatched = SourceFacts.hasStringLiteral(module, args.get(1));
                assertTrue(dispatched, module + " has no '" + command + "' command");
            }
        }
        assertEquals(Set.of("warden-agent: agent", "warden-agent: agent restore", "warden-coordinator: coordinator"), used);
    }
}
