package io.warden.agent;

import io.warden.agent.snapshot.SnapshotSettings;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the agent reads from its environment, parsed and checked once at start.
 *
 * @param redis     where the local Redis is and how to log in
 * @param httpHost  address the agent's HTTP server binds (0.0.0.0 in a pod: the kubelet probes the pod IP)
 * @param httpPort  {@code WARDEN_HTTP_PORT}, default 9736
 * @param observeInterval how often the agent reads Redis ({@code WARDEN_OBSERVE_INTERVAL_MS}, default 1000)
 * @param readyMaxLagBytes a replica further behind its master than this is not ready
 * @param memoryGuard how the agent derives {@code maxmemory} from a container memory limit
 * @param identity    who this agent is and where others reach it and its Redis
 * @param coordinator the coordinator to heartbeat to, if any, and the token for /v1 requests
 * @param snapshots   where snapshots go, how often, how many are kept ({@code WARDEN_SNAPSHOT_*}, {@code WARDEN_S3_*})
 * @param preStopTimeout {@code WARDEN_PRESTOP_TIMEOUT}, default 45 s: the longest preStop waits for this node to stop
 *                    being master (keep it below the pod's {@code terminationGracePeriodSeconds})
 */
public record AgentConfig(RedisEndpoint redis, String httpHost, int httpPort, Duration observeInterval,
                          long readyMaxLagBytes, MemoryGuardSettings memoryGuard, Identity identity,
                          CoordinatorLink coordinator, SnapshotSettings snapshots, Duration preStopTimeout) {

    public static final int DEFAULT_HTTP_PORT = 9736;
    public static final Duration DEFAULT_PRESTOP_TIMEOUT = Duration.ofSeconds(45);

    /** The local Redis: host, port, optional password, and the timeout for each command the agent sends. */
    public record RedisEndpoint(String host, int port, Optional<String> password, Duration commandTimeout) {

        public String address() {
            return host + ":" + port;
        }
    }

    /**
     * @param ratio       fraction of the limit to give Redis ({@code WARDEN_MAXMEMORY_RATIO}, 0 turns the guard off)
     * @param limitBytes  an explicit limit ({@code WARDEN_REDIS_MEMORY_LIMIT}): in Kubernetes, the Redis container's
     *                    {@code limits.memory} through the downward API, since the agent's own cgroup is not Redis's
     * @param cgroupRoot  where to read a cgroup limit when no explicit one is given ({@code WARDEN_CGROUP_ROOT})
     */
    public record MemoryGuardSettings(double ratio, OptionalLong limitBytes, Path cgroupRoot) {

        public boolean enabled() {
            return ratio > 0;
        }
    }

    /**
     * @param name          POD_NAME (default: the host name)
     * @param redisAddress  host:port others reach this Redis at (POD_IP, else WARDEN_REDIS_HOST, and WARDEN_REDIS_PORT)
     * @param agentUrl      this agent's base URL as others reach it (WARDEN_ADVERTISE_URL, else POD_IP and the HTTP port)
     * @param k8sNode       NODE_NAME, for placement
     * @param zone          WARDEN_ZONE, for placement ("" when unknown)
     * @param dataDir       WARDEN_DATA_DIR, Redis's data directory, to tell whether it held data at start
     */
    public record Identity(String name, String redisAddress, String agentUrl, String k8sNode, String zone, Optional<Path> dataDir) {
    }

    /**
     * @param url       WARDEN_COORDINATOR; absent: the agent runs alone (probes and metrics only)
     * @param token     WARDEN_TOKEN / WARDEN_TOKEN_FILE: required on /v1 requests both ways when set
     * @param heartbeat WARDEN_HEARTBEAT_MS, default 1000
     */
    public record CoordinatorLink(Optional<String> url, Optional<String> token, Duration heartbeat) {
    }

    public static AgentConfig fromEnv(Env env) {
        RedisEndpoint redis = new RedisEndpoint(
                env.string("WARDEN_REDIS_HOST", "127.0.0.1"),
                env.port("WARDEN_REDIS_PORT", 6379),
                env.secret("WARDEN_REDIS_PASSWORD"),
                env.millis("WARDEN_REDIS_TIMEOUT_MS", Duration.ofMillis(2000)));
        OptionalLong limit = env.optional("WARDEN_REDIS_MEMORY_LIMIT").isPresent()
                ? OptionalLong.of(env.positiveLong("WARDEN_REDIS_MEMORY_LIMIT", 1))
                : OptionalLong.empty();
        MemoryGuardSettings guard = new MemoryGuardSettings(
                env.fraction("WARDEN_MAXMEMORY_RATIO", 0.75, 0.0, 1.0),
                limit,
                Path.of(env.string("WARDEN_CGROUP_ROOT", "/sys/fs/cgroup")));
        String httpHost = env.string("WARDEN_HTTP_HOST", "0.0.0.0");
        int httpPort = env.port("WARDEN_HTTP_PORT", DEFAULT_HTTP_PORT);
        return new AgentConfig(
                redis,
                httpHost,
                httpPort,
                env.millis("WARDEN_OBSERVE_INTERVAL_MS", Duration.ofSeconds(1)),
                env.longInRange("WARDEN_READY_MAX_LAG_BYTES", 1024 * 1024, 0, Long.MAX_VALUE, "a number of bytes, 0 or more"),
                guard,
                identity(env, redis, httpHost, httpPort),
                new CoordinatorLink(env.optional("WARDEN_COORDINATOR").map(u -> url("WARDEN_COORDINATOR", u)),
                        env.secret("WARDEN_TOKEN"), env.millis("WARDEN_HEARTBEAT_MS", Duration.ofSeconds(1))),
                SnapshotSettings.fromEnv(env),

                env.duration("WARDEN_PRESTOP_TIMEOUT", DEFAULT_PRESTOP_TIMEOUT));
    }

    private static Identity identity(Env env, RedisEndpoint redis, String httpHost, int httpPort) {
        Optional<String> podIp = env.optional("POD_IP");
        String reachableHost = podIp.orElse(redis.host());
        String agentHost = podIp.orElse("0.0.0.0".equals(httpHost) ? redis.host() : httpHost);
        return new Identity(
                env.optional("POD_NAME").orElseGet(AgentConfig::hostName),
                reachableHost + ":" + redis.port(),
                env.optional("WARDEN_ADVERTISE_URL").map(u -> url("WARDEN_ADVERTISE_URL", u)).orElse("http://" + agentHost + ":" + httpPort),
                env.string("NODE_NAME", ""),
                env.string("WARDEN_ZONE", ""),
                env.optional("WARDEN_DATA_DIR").map(Path::of));
    }

    private static String url(String variable, String value) {
        if (!value.matches("https?://[^/\\s]+(/.*)?")) {
            throw new ConfigException(variable, "expected an http:// or https:// URL, got \"" + value + "\"");
        }
        return value.replaceFirst("/+$", "");
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "warden-agent";
        }
    }
}
