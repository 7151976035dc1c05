package io.warden.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JUnit 5 extension that starts real Redis servers and always stops them: register it as a field with
 * {@code @RegisterExtension} (instance field: servers live for one test; static: for the class).
 *
 * <pre>{@code
 * @RegisterExtension final RedisServers redis = new RedisServers();
 * RedisServer master = redis.start(RedisSpec.standalone());
 * RedisServer replica = redis.start(RedisSpec.standalone().replicaOf(master));
 * }</pre>
 */
public final class RedisServers implements AfterEachCallback, AfterAllCallback, AutoCloseable {

    private final List<RedisServer> servers = new ArrayList<>();

    public synchronized RedisServer start(RedisSpec spec) {
        try {
            RedisServer server = RedisServer.start(spec, Files.createTempDirectory("warden-redis-"));
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp directory for redis", e);
        }
    }

    /** Starts a replica and waits until its link to the master is up and the first sync is done. */
    public RedisServer startReplicaInSync(RedisSpec spec, RedisServer master) {
        RedisServer replica = start(spec.replicaOf(master));
        awaitLinkUp(replica);
        return replica;
    }

    public static void awaitLinkUp(RedisServer replica) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String info = replica.commands().info("replication");
            if (info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0")) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("replica " + replica.address() + " did not sync within 30 s");
    }

    public synchronized List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        servers.forEach(RedisServer::close);
        servers.clear();
    }
}
