import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Simulates the agents of a healthy, settled Redis Cluster of S masters x 1 replica heartbeating one coordinator.
 * JDK only; run with the single-file source launcher:
 *
 * <pre>java -Xmx1g bench/SimulatedAgents.java --url http://127.0.0.10:PORT --token T --pid COORDINATOR_PID
 *      [--shards 500] [--warmup 20] [--seconds 60] [--topology-per-second 4] [--cluster-nodes full|self|empty]</pre>
 *
 * Every agent PUTs its report once a second, the agents spread evenly over the second; an agent whose previous
 * heartbeat has not been answered skips its turn (counted). Each report carries that node's CLUSTER NODES view (all
 * 2S entries, its own flagged myself); "self" sends only its own line, "empty" none (the planner then acts). Redis addresses are 127.1.x.y:6379 (never dialled:
 * the planner plans nothing for a healthy cluster) and every agentUrl points at a closed loopback port.
 * Prints heartbeat and GET /v1/topology latency percentiles, the coordinator's CPU seconds per wall second
 * (/proc/PID/stat) and RSS, over the measured window only.
 */
public class SimulatedAgents {

    static String url = "http://127.0.0.10:9737";
    static String token = "";
    static long pid = -1;
    static int shards = 500;
    static int warmup = 20;
    static int seconds = 60;
    static int topologyPerSecond = 4;
    static String clusterNodes = "full"; // full | self | empty
    /** --digest: send the view with a digest once, then only the digest while the coordinator says it holds it. */
    static boolean digest = false;
    static long clkTck = 100;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--token" -> token = args[++i];
                case "--pid" -> pid = Long.parseLong(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--topology-per-second" -> topologyPerSecond = Integer.parseInt(args[++i]);
                case "--no-cluster-nodes" -> clusterNodes = "empty";
                case "--digest" -> digest = true;
                case "--cluster-nodes" -> clusterNodes = args[++i];
                case "--clk-tck" -> clkTck = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!URI.create(url).getHost().startsWith("127.")) {
            throw new IllegalArgumentException("loopback only: " + url);
        }
        int agents = shards * 2;
        int closedPort = closedLoopbackPort();
        Node[] nodes = layout(shards);
        byte[][] bodies = new byte[agents][];
        byte[][] digestOnly = new byte[agents][];
        long bytes = 0;
        for (int i = 0; i < agents; i++) {
            bodies[i] = report(nodes, i, "http://127.0.0.1:" + closedPort, true).getBytes(StandardCharsets.UTF_8);
            digestOnly[i] = report(nodes, i, "http://127.0.0.1:" + closedPort, false).getBytes(StandardCharsets.UTF_8);
            bytes += bodies[i].length;
        }
        AtomicBoolean[] held = new AtomicBoolean[agents];
        System.out.printf("simulating %d agents (%d masters x 1 replica), clusterNodes %s, mean report %d bytes, agentUrl port %d (closed)%n",
                agents, shards, clusterNodes.equals("full") ? "full (" + agents + " entries)" : clusterNodes, bytes / agents, closedPort);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient topoClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

        Recorder heartbeats = new Recorder(agents * (seconds + 5));
        Recorder topology = new Recorder(topologyPerSecond * (seconds + 5) + 10);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean[] inFlight = new AtomicBoolean[agents];
        AtomicLong skipped = new AtomicLong();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        AtomicLong topologyBytes = new AtomicLong();
        String[] lastTopology = {""};

        for (int i = 0; i < agents; i++) {
            inFlight[i] = new AtomicBoolean(false);
            held[i] = new AtomicBoolean(false);
            int n = i;
            HttpRequest fullRequest = HttpRequest.newBuilder(URI.create(url + "/v1/agents/" + nodes[n].name))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bodies[n])).build();
            HttpRequest digestRequest = HttpRequest.newBuilder(URI.create(url + "/v1/agents/" + nodes[n].name))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(digestOnly[n])).build();
            String heldMarker = "\"clusterViewHash\":\"sim-" + n + "\"";
            long offsetMicros = 1_000_000L * n / agents;
            timer.scheduleAtFixedRate(() -> {
                if (!inFlight[n].compareAndSet(false, true)) {
                    if (measuring.get()) {
                        skipped.incrementAndGet();
                    }
                    return;
                }
                long t0 = System.nanoTime();
                boolean counted = measuring.get();
                HttpRequest request = digest && held[n].get() ? digestRequest : fullRequest;
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                    long t = System.nanoTime() - t0;
                    held[n].set(err == null && resp.body() != null && resp.body().contains(heldMarker));
                    inFlight[n].set(false);
                    if (!counted || !measuring.get()) {
                        return;
                    }
                    if (err != null) {
                        errors.computeIfAbsent(err.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    } else if (resp.statusCode() != 200) {
                        errors.computeIfAbsent("HTTP " + resp.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    } else {
                        heartbeats.add(t);
                    }
                });
            }, offsetMicros, 1_000_000L, TimeUnit.MICROSECONDS);
        }
        HttpRequest topoRequest = HttpRequest.newBuilder(URI.create(url + "/v1/topology")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        timer.scheduleAtFixedRate(() -> {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> resp = topoClient.send(topoRequest, HttpResponse.BodyHandlers.ofString());
                long t = System.nanoTime() - t0;
                if (measuring.get() && resp.statusCode() == 200) {
                    topology.add(t);
                    topologyBytes.set(resp.body().length());
                }
                lastTopology[0] = resp.body();
            } catch (IOException | InterruptedException e) {
                if (measuring.get()) {
                    errors.computeIfAbsent("topology " + e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }, 500_000L, 1_000_000L / topologyPerSecond, TimeUnit.MICROSECONDS);

        Thread.sleep(warmup * 1000L);
        String health = summary(lastTopology[0]);
        System.out.println("after warm-up: " + health);
        long[] cpu0 = cpuTicks(pid);
        long[] self0 = cpuTicks(ProcessHandle.current().pid());
        long w0 = System.nanoTime();
        measuring.set(true);
        long rssMax = 0;
        List<Long> rssSamples = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            long rss = rssKb(pid);
            rssSamples.add(rss);
            rssMax = Math.max(rssMax, rss);
        }
        measuring.set(false);
        long[] cpu1 = cpuTicks(pid);
        long[] self1 = cpuTicks(ProcessHandle.current().pid());
        double wall = (System.nanoTime() - w0) / 1e9;
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);

        double cpu = (cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) / (double) clkTck;
        double selfCpu = (self1[0] + self1[1] - self0[0] - self0[1]) / (double) clkTck;
        System.out.printf("window %.1f s: heartbeats ok %d (%.0f/s), skipped (previous still in flight) %d, errors %s%n",
                wall, heartbeats.count(), heartbeats.count() / wall, skipped.get(), new TreeMap<>(errors));
        System.out.printf("heartbeat latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                heartbeats.pct(50), heartbeats.pct(90), heartbeats.pct(99), heartbeats.pct(100));
        System.out.printf("GET /v1/topology latency ms (n=%d, %d bytes): p50 %.1f  p99 %.1f  max %.1f%n",
                topology.count(), topologyBytes.get(), topology.pct(50), topology.pct(99), topology.pct(100));
        System.out.printf("coordinator CPU: %.2f s per wall s (user %.1f s, sys %.1f s over %.1f s); simulator's own CPU %.2f s/s%n",
                cpu / wall, (cpu1[0] - cpu0[0]) / (double) clkTck, (cpu1[1] - cpu0[1]) / (double) clkTck, wall, selfCpu / wall);
        long[] rss = rssSamples.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("coordinator VmRSS: end %d MiB, median %d MiB, max %d MiB%n",
                rssSamples.isEmpty() ? 0 : rssSamples.get(rssSamples.size() - 1) / 1024, rss.length == 0 ? 0 : rss[rss.length / 2] / 1024, rssMax / 1024);
        System.out.println("at the end: " + summary(lastTopology[0]));
        System.exit(0);
    }

    /** healthy flag, problem count and the last history outcome, read loosely from the topology JSON. */
    static String summary(String json) {
        if (json.isEmpty()) {
            return "no topology yet";
        }
        String healthy = json.contains("\"healthy\":true") ? "healthy" : "NOT healthy";
        int p = json.indexOf("\"problems\":[");
        String problems = p < 0 ? "?" : json.substring(p + 12, Math.min(json.length(), json.indexOf(']', p) + 1));
        int h = json.lastIndexOf("\"outcome\":");
        String outcome = h < 0 ? "?" : json.substring(h + 10, Math.min(json.length(), json.indexOf('}', h)));
        return healthy + ", problems [" + (problems.length() > 300 ? problems.substring(0, 300) + "…" : problems)
                + ", last outcome " + outcome;
    }

    record Node(String name, String id, String host, boolean master, int shard, String masterId, String masterAddress,
                long configEpoch, int slotStart, int slotEnd) {
    }

    /** Masters m-000.., replicas r-000.. (replica k follows master k), slots split evenly like SlotSet.evenSplit. */
    static Node[] layout(int shards) {
        Node[] nodes = new Node[shards * 2];
        int base = 16384 / shards;
        int extra = 16384 % shards;
        int start = 0;
        for (int k = 0; k < shards; k++) {
            int size = base + (k < extra ? 1 : 0);
            String mid = id(k);
            String mhost = host(k);
            nodes[k] = new Node(String.format("m-%03d", k), mid, mhost, true, k, null, null, k + 1, start, start + size - 1);
            nodes[shards + k] = new Node(String.format("r-%03d", k), id(shards + k), host(shards + k), false, k, mid,
                    mhost + ":6379", k + 1, -1, -1);
            start += size;
        }
        return nodes;
    }

    static String id(int i) {
        return String.format("%08x", i) + "c0ffee".repeat(6).substring(0, 32);
    }

    static String host(int i) {
        return "127.1." + (i / 250) + "." + (i % 250 + 1);
    }

    /** The JSON of node {@code self}'s AgentReport, the shape WireJson encodes. */
    static String report(Node[] nodes, int self, String agentUrl, boolean withView) {
        Node n = nodes[self];
        StringBuilder b = new StringBuilder(256 + nodes.length * 200);
        b.append("{\"name\":\"").append(n.name).append("\",\"redisAddress\":\"").append(n.host).append(":6379\"")
                .append(",\"agentUrl\":\"").append(agentUrl).append("\",\"k8sNode\":\"k8s-").append(self)
                .append("\",\"zone\":\"\",\"redisUp\":true,\"redisError\":\"\",\"role\":\"").append(n.master ? "master" : "replica")
                .append("\",\"replicationOffset\":123456,\"masterAddress\":\"").append(n.master ? "" : n.masterAddress)
                .append("\",\"linkUp\":").append(!n.master).append(",\"keys\":0,\"dataAtStart\":false,\"clusterEnabled\":true")
                .append(",\"nodeId\":\"").append(n.id).append("\",\"clusterNodes\":[");
        if (!clusterNodes.equals("empty") && withView) {
            boolean first = true;
            for (int i = 0; i < nodes.length; i++) {
                Node e = nodes[i];
                if (clusterNodes.equals("self") && i != self) {
                    continue;
                }
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append("{\"id\":\"").append(e.id).append("\",\"host\":\"").append(e.host).append("\",\"port\":6379,\"flags\":[");
                if (i == self) {
                    b.append("\"myself\",");
                }
                b.append(e.master ? "\"master\"" : "\"slave\"").append(']');
                if (!e.master) {
                    b.append(",\"masterId\":\"").append(e.masterId).append('"');
                }
                b.append(",\"configEpoch\":").append(e.configEpoch).append(",\"connected\":true,\"slots\":[");
                if (e.master) {
                    b.append("{\"start\":").append(e.slotStart).append(",\"end\":").append(e.slotEnd).append('}');
                }
                b.append("],\"openSlots\":[]}");
            }
        }
        b.append("],\"epochSeen\":1");
        if (digest) {
            b.append(",\"clusterViewHash\":\"sim-").append(self).append('"');
        }
        b.append('}');
        return b.toString();
    }

    static int closedLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort(); // closed again on return: nothing listens there
        }
    }

    static long[] cpuTicks(long pid) throws IOException {
        if (pid < 0) {
            return new long[] {0, 0};
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}; // utime, stime (fields 14, 15)
    }

    static long rssKb(long pid) throws IOException {
        if (pid < 0) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** Latencies in nanoseconds, fixed capacity. */
    static final class Recorder {
        private final AtomicLongArray values;
        private final AtomicInteger n = new AtomicInteger();

        Recorder(int capacity) {
            values = new AtomicLongArray(capacity);
        }

        void add(long nanos) {
            int i = n.getAndIncrement();
            if (i < values.length()) {
                values.set(i, nanos);
            }
        }

        int count() {
            return Math.min(n.get(), values.length());
        }

        double pct(double p) {
            int c = count();
            if (c == 0) {
                return Double.NaN;
            }
            long[] v = new long[c];
            for (int i = 0; i < c; i++) {
                v[i] = values.get(i);
            }
            Arrays.sort(v);
            int idx = (int) Math.ceil(p / 100.0 * c) - 1;
            return v[Math.max(0, Math.min(c - 1, idx))] / 1e6;
        }
    }
}
