package io.warden.coordinator.local;

import io.warden.coordinator.local.LocalState.LocalNode;
import io.warden.coordinator.scale.NodePool;
import io.warden.coordinator.topology.DesiredShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Local mode's nodes, run by the coordinator once a shape was requested: new nodes are laid out as
 * {@code bin/warden up} lays them out (next loopback address, Redis 6379, agent 9736) and started; a retired node is
 * stopped, its directory removed and its entry dropped from {@code state.json}, so {@code up} and {@code down} keep
 * seeing exactly the deployment that runs.
 */
public final class LocalNodePool implements NodePool {

    private final Path dir;
    private final LocalDeployment deployment;

    public LocalNodePool(Path dir, Programs programs) {
        this.dir = dir;
        this.deployment = new LocalDeployment(dir, programs);
    }

    @Override
    public Limits limits() {
        return new Limits(LocalLayout.MAX_NODES, "local mode gives each node its own address in " + LocalLayout.NET + "."
                + LocalLayout.FIRST_HOST + "-" + LocalLayout.LAST_HOST, true);
    }

    @Override
    public synchronized List<String> reconcile(DesiredShape shape, Set<String> retiring, List<String> releasable) {
        LocalState state = LocalState.read(dir).orElseThrow(() -> new IllegalStateException("no local deployment in " + dir));
        List<String> stopped = new ArrayList<>();
        List<LocalNode> kept = new ArrayList<>();
        for (LocalNode node : state.nodes()) {
            if (releasable.contains(node.name())) {
                deployment.retireNode(node);
                stopped.add(node.name());
            } else {
                kept.add(node);
            }
        }
        LocalState now = new LocalState(state.mode(), shape.shards(), shape.replicas(), state.coordinatorHost(), state.coordinatorPort(), kept);
        if (kept.size() < shape.nodesNeeded()) {
            now = LocalLayout.extend(now, shape.shards(), shape.replicas());
        }
        if (!now.equals(state)) {
            now.write(dir);
        }
        for (LocalNode node : now.nodes()) {
            if (!retiring.contains(node.name()) && kept.stream().noneMatch(k -> k.name().equals(node.name()))) {
                deployment.startNode(now, node);
            }
        }
        return stopped;
    }
}
