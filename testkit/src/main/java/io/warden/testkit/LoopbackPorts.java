package io.warden.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free addresses on 127.0.0.0/8. Every 127.x address routes to the loopback interface on Linux, so each test
 * server gets its own address: two test JVMs, or a developer's own Redis on 6379, rarely meet.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A random address 127.0.0.2–127.0.0.250 and a port on it that was free a moment ago. */
    public static InetSocketAddress freeAddress() {
        String host = "127.0.0." + ThreadLocalRandom.current().nextInt(2, 251);
        return new InetSocketAddress(host, freePort(host));
    }

    /**
     * An address for a cluster-enabled Redis: it also binds its cluster bus on port + 10000, so the port is at
     * most 55535 and both ports were free a moment ago.
     */
    public static InetSocketAddress freeClusterAddress() {
        for (int attempt = 0; attempt < 100; attempt++) {
            String host = "127.0.0." + ThreadLocalRandom.current().nextInt(2, 251);
            int port = ThreadLocalRandom.current().nextInt(20000, 55536);
            if (free(host, port) && free(host, port + 10000)) {
                return new InetSocketAddress(host, port);
            }
        }
        throw new IllegalStateException("no free port pair (p, p+10000) found on 127.0.0.0/8");
    }

    static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + host, e);
        }
    }
}
