package io.warden.coordinator.local;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.coordinator.local.LocalState.LocalNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Where local mode puts everything. Every Redis gets its own loopback address (127.0.0.11, .12, …) with the
 * usual ports (Redis 6379, agent 9736), as pods have their own IPs; the coordinator sits on 127.0.0.10:9737.
 * Nodes are spread over fake Kubernetes node names so that placement is exercised as in a cluster. Pure.
 * <p>
 * Tests move the whole layout to another /24 of the loopback network with the hidden {@code WARDEN_LOCAL_NET}
 * (e.g. {@code 127.0.77}), so they never meet a deployment {@code bin/warden up} runs on 127.0.0.x.
 */
public final class LocalLayout {

    public static final String NET = "127.0.0";
    static final int FIRST_HOST = 11;
    static final int LAST_HOST = 254;

    private LocalLayout() {
    }

    /** The loopback /24 to lay out in: {@code WARDEN_LOCAL_NET}, default 127.0.0. */
    public static String net(Env env) {
        String net = env.string("WARDEN_LOCAL_NET", NET);
        if (!net.matches("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)")) {
            throw new ConfigException("WARDEN_LOCAL_NET", "expected the first three parts of a loopback address such as 127.0.77, got \"" + net + "\"");
        }
        return net;
    }

    public static LocalState plan(String mode, int shards, int replicas) {
        return plan(NET, mode, shards, replicas);
    }

    /** The layout on {@code net} (see {@link #net}). */
    public static LocalState plan(String net, String mode, int shards, int replicas) {
        int count = shards * (1 + replicas);
        if (count > LAST_HOST - FIRST_HOST + 1) {
            throw new IllegalArgumentException(count + " nodes do not fit on " + net + "." + FIRST_HOST + "-" + LAST_HOST);
        }
        // As many fake Kubernetes nodes as a shard has members (at least 3): a shard can always be spread.
        int k8sNodes = Math.min(count, Math.max(3, replicas + 1));
        List<LocalNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(node(net, i, k8sNodes));
        }
        return new LocalState(mode, shards, replicas, net + ".10", 9737, nodes);
    }

    /** Most nodes local mode can run: one loopback address each. */
    public static final int MAX_NODES = LAST_HOST - FIRST_HOST + 1;

    /**
     * {@code state} grown to {@code count} nodes for a shape of {@code replicas} replicas: new nodes take the next
     * addresses (in the state's own /24), and fake Kubernetes nodes enough to keep a shard of {@code 1 + replicas} apart.
     */
    public static LocalState extend(LocalState state, int shards, int replicas) {
        String net = state.coordinatorHost().substring(0, state.coordinatorHost().lastIndexOf('.'));
        int count = shards * (1 + replicas);
        if (count > MAX_NODES) {
            throw new IllegalArgumentException(count + " nodes do not fit on " + net + "." + FIRST_HOST + "-" + LAST_HOST);
        }
        int k8sNodes = Math.max(3, replicas + 1);
        List<LocalNode> nodes = new ArrayList<>(state.nodes());
        for (int i = nodes.size(); i < count; i++) {
            nodes.add(node(net, i, k8sNodes));
        }
        return new LocalState(state.mode(), shards, replicas, state.coordinatorHost(), state.coordinatorPort(), nodes);
    }

    private static LocalNode node(String net, int i, int k8sNodes) {
        return new LocalNode("redis-" + i, net + "." + (FIRST_HOST + i), 6379, 9736, "local-node-" + (char) ('a' + i % k8sNodes));
    }
}
