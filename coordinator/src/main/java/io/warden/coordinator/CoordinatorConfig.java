package io.warden.coordinator;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.coordinator.plan.FailoverPolicy;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the coordinator reads from its environment, checked once at start.
 *
 * @param desired    WARDEN_MODE (cluster|replication), WARDEN_SHARDS (3; 1 in replication), WARDEN_REPLICAS (1)
 * @param httpHost   WARDEN_HTTP_HOST, default 0.0.0.0
 * @param httpPort   WARDEN_HTTP_PORT, default 9737
 * @param token      WARDEN_TOKEN / WARDEN_TOKEN_FILE
 * @param heartbeat  WARDEN_HEARTBEAT_MS: the agents' heartbeat interval (freshness, a new leader's wait)
 * @param reconcile  WARDEN_RECONCILE_MS: how often the leader plans, default 1000
 * @param identity   POD_NAME, default the host name
 * @param advertisedUrl where the other coordinators reach this one: WARDEN_ADVERTISE_URL, else POD_IP and the port
 * @param election   how the leader is chosen
 * @param failover   how a dead master is replaced, and the master lease (replication mode)
 */
public record CoordinatorConfig(DesiredShape desired, String httpHost, int httpPort, Optional<String> token, Duration heartbeat,
                                Duration reconcile, String identity, String advertisedUrl, Election election, Failover failover) {

    public static final int DEFAULT_HTTP_PORT = 9737;

    /**
     * @param kind      WARDEN_ELECTION: {@code kubernetes} (default inside a cluster) or {@code local} (one coordinator)
     * @param stateDir  WARDEN_STATE_DIR: where local mode keeps its epoch
     * @param namespace POD_NAMESPACE
     * @param leaseName WARDEN_LEASE_NAME, default warden-coordinator
     * @param leaseDuration WARDEN_LEASE_DURATION_MS (15000), renewDeadline WARDEN_RENEW_DEADLINE_MS (10000),
     *                  retryPeriod WARDEN_RETRY_PERIOD_MS (2000)
     */
    public record Election(String kind, Path stateDir, String namespace, String leaseName, Duration leaseDuration,
                           Duration renewDeadline, Duration retryPeriod) {
    }

    /**
     * @param policy      WARDEN_DOWN_AFTER_MS (2000), WARDEN_MAX_FAILOVER_LAG_BYTES (1048576)
     * @param masterLease WARDEN_MASTER_LEASE_MS: how long a replication-mode master may take writes after a heartbeat
     *                    answered with a lease. Longer than a heartbeat interval, shorter than the down-after time and
     *                    than an agent's freshness (three heartbeats), so a master cut off from the coordinator has
     *                    stopped taking writes before its replicas can be promoted. Default: the smaller of 3/4 of the
     *                    down-after time and 2.5 heartbeats
     */
    public record Failover(FailoverPolicy policy, Duration masterLease) {
    }

    public static CoordinatorConfig fromEnv(Env env) {
        Mode mode = mode(env);
        int shards = (int) env.longInRange("WARDEN_SHARDS", mode == Mode.CLUSTER ? 3 : 1, 1, 16384, "a number of shards from 1 to 16384");
        if (mode == Mode.REPLICATION && shards != 1) {
            throw new ConfigException("WARDEN_SHARDS", "replication mode has exactly one shard; got " + shards);
        }
        int replicas = (int) env.longInRange("WARDEN_REPLICAS", 1, 0, 100, "a number of replicas per shard from 0 to 100");
        String httpHost = env.string("WARDEN_HTTP_HOST", "0.0.0.0");
        int httpPort = env.port("WARDEN_HTTP_PORT", DEFAULT_HTTP_PORT);
        String identity = env.optional("POD_NAME").orElseGet(CoordinatorConfig::hostName);
        String advertised = env.optional("WARDEN_ADVERTISE_URL").orElse("http://"
                + env.optional("POD_IP").orElse("0.0.0.0".equals(httpHost) ? "127.0.0.1" : httpHost) + ":" + httpPort);
        String kind = env.string("WARDEN_ELECTION", env.optional("KUBERNETES_SERVICE_HOST").isPresent() ? "kubernetes" : "local");
        if (!kind.equals("kubernetes") && !kind.equals("local")) {
            throw new ConfigException("WARDEN_ELECTION", "expected kubernetes or local, got \"" + kind + "\"");
        }
        Duration lease = env.millis("WARDEN_LEASE_DURATION_MS", Duration.ofSeconds(15));
        Duration renew = env.millis("WARDEN_RENEW_DEADLINE_MS", Duration.ofSeconds(10));
        Duration retry = env.millis("WARDEN_RETRY_PERIOD_MS", Duration.ofSeconds(2));
        if (!(lease.compareTo(renew) > 0 && renew.compareTo(retry) > 0)) {
            throw new ConfigException("WARDEN_LEASE_DURATION_MS", "lease duration " + lease.toMillis() + " ms must exceed the renew deadline "
                    + renew.toMillis() + " ms, which must exceed the retry period " + retry.toMillis() + " ms");
        }
        Election election = new Election(kind, Path.of(env.string("WARDEN_STATE_DIR", ".warden/coordinator")),
                env.string("POD_NAMESPACE", "default"), env.string("WARDEN_LEASE_NAME", "warden-coordinator"), lease, renew, retry);
        Duration heartbeat = env.millis("WARDEN_HEARTBEAT_MS", Duration.ofSeconds(1));
        return new CoordinatorConfig(new DesiredShape(mode, shards, replicas), httpHost, httpPort, env.secret("WARDEN_TOKEN"),
                heartbeat, env.millis("WARDEN_RECONCILE_MS", Duration.ofSeconds(1)), identity, advertised, election,
                failover(env, heartbeat));
    }

    private static Failover failover(Env env, Duration heartbeat) {
        Duration downAfter = env.millis("WARDEN_DOWN_AFTER_MS", FailoverPolicy.DEFAULTS.downAfter());
        long maxLag = env.longInRange("WARDEN_MAX_FAILOVER_LAG_BYTES", FailoverPolicy.DEFAULTS.maxLagBytes(), 0, Long.MAX_VALUE,
                "a number of bytes, 0 or more");
        Duration freshness = heartbeat.multipliedBy(3);
        Duration byDefault = downAfter.multipliedBy(3).dividedBy(4);
        byDefault = byDefault.compareTo(heartbeat.multipliedBy(5).dividedBy(2)) < 0 ? byDefault : heartbeat.multipliedBy(5).dividedBy(2);
        Duration lease = env.millis("WARDEN_MASTER_LEASE_MS", byDefault);
        if (lease.compareTo(heartbeat) <= 0 || lease.compareTo(downAfter) >= 0 || lease.compareTo(freshness) >= 0) {
            throw new ConfigException("WARDEN_MASTER_LEASE_MS", "the master lease (" + lease.toMillis() + " ms) must be longer than the"
                    + " heartbeat (WARDEN_HEARTBEAT_MS, " + heartbeat.toMillis() + " ms) and shorter than both WARDEN_DOWN_AFTER_MS ("
                    + downAfter.toMillis() + " ms) and three heartbeats (" + freshness.toMillis() + " ms)");
        }
        return new Failover(new FailoverPolicy(downAfter, maxLag), lease);
    }

    /** An agent not heard from for three heartbeats is treated as unreachable. */
    public Duration agentFreshness() {
        return heartbeat.multipliedBy(3);
    }

    /** A new leader waits one heartbeat plus grace before acting (DESIGN.md rule 4). */
    public Duration leaderWarmup() {
        return heartbeat.multipliedBy(2).plusMillis(500);
    }

    private static Mode mode(Env env) {
        String value = env.string("WARDEN_MODE", "cluster");
        try {
            return Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("WARDEN_MODE", "expected cluster or replication, got \"" + value + "\"");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "warden-coordinator";
        }
    }
}
