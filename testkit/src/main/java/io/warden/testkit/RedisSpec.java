package io.warden.testkit;

import java.util.List;
import java.util.Optional;

/**
 * How to start one test Redis. Built fluently from {@link #standalone()}; each method returns a copy.
 *
 * @param password    {@code requirepass} and {@code masterauth} when present
 * @param replicaOf   the master to follow ({@code replicaof}), when present
 * @param cluster     {@code cluster-enabled yes}
 * @param persistence keep Redis's default RDB saving and save on shutdown; off by default for speed
 * @param extraArgs   further {@code --name value} arguments, passed as given
 */
public record RedisSpec(Optional<String> password, Optional<RedisServer> replicaOf, boolean cluster,
                        boolean persistence, List<String> extraArgs) {

    public RedisSpec {
        extraArgs = List.copyOf(extraArgs);
    }

    public static RedisSpec standalone() {
        return new RedisSpec(Optional.empty(), Optional.empty(), false, false, List.of());
    }

    public RedisSpec withPassword(String secret) {
        return new RedisSpec(Optional.of(secret), replicaOf, cluster, persistence, extraArgs);
    }

    public RedisSpec replicaOf(RedisServer master) {
        return new RedisSpec(password, Optional.of(master), cluster, persistence, extraArgs);
    }

    public RedisSpec clusterEnabled() {
        return new RedisSpec(password, replicaOf, true, persistence, extraArgs);
    }

    public RedisSpec withPersistence() {
        return new RedisSpec(password, replicaOf, cluster, true, extraArgs);
    }

    public RedisSpec withArgs(String... args) {
        List<String> all = new java.util.ArrayList<>(extraArgs);
        all.addAll(List.of(args));
        return new RedisSpec(password, replicaOf, cluster, persistence, all);
    }
}
