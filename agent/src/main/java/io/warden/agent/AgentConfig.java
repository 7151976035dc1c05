package io.warden.agent;

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
 */
public record AgentConfig(RedisEndpoint redis, String httpHost, int httpPort, Duration observeInterval,
                          long readyMaxLagBytes, MemoryGuardSettings memoryGuard) {

    public static final int DEFAULT_HTTP_PORT = 9736;

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
        return new AgentConfig(
                redis,
                env.string("WARDEN_HTTP_HOST", "0.0.0.0"),
                env.port("WARDEN_HTTP_PORT", DEFAULT_HTTP_PORT),
                env.millis("WARDEN_OBSERVE_INTERVAL_MS", Duration.ofSeconds(1)),
                env.longInRange("WARDEN_READY_MAX_LAG_BYTES", 1024 * 1024, 0, Long.MAX_VALUE, "a number of bytes, 0 or more"),
                guard);
    }
}
