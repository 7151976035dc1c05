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
