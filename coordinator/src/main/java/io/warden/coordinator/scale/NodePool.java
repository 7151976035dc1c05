package io.warden.coordinator.scale;

import io.warden.coordinator.topology.DesiredShape;

import java.util.List;
import java.util.Set;

/**
 * Where the nodes of a deployment come from: a StatefulSet in Kubernetes, processes in local mode, or nothing
 * (someone else runs them). The coordinator asks it after every tick to hold the desired number of nodes, and to
 * stop retiring nodes only once they hold nothing. Blocking: called off the event loop.
 */
public interface NodePool {

    /**
     * What the pool can run, for refusing a shape up front.
     *
     * @param maxNodes     most nodes it can run (Integer.MAX_VALUE when unbounded)
     * @param why          what bounds it, in words
     * @param addsK8sNodes it places new nodes on new (fake) Kubernetes nodes as needed (local mode); otherwise a
     *                     shard can only be spread over the Kubernetes nodes the agents already report
     */
    record Limits(int maxNodes, String why, boolean addsK8sNodes) {
    }

    Limits limits();

    /**
     * Makes the {@code shape.nodesNeeded()} nodes of the shape exist, and stops those of {@code retiring} (the nodes
     * beyond) that are in {@code releasable}; a retiring node still holding something keeps running. Answers the
     * names stopped.
     */
    List<String> reconcile(DesiredShape shape, Set<String> retiring, List<String> releasable) throws Exception;

    /** Nodes run by someone else: nothing to start or stop. */
    NodePool EXTERNAL = new NodePool() {
        @Override
        public Limits limits() {
            return new Limits(Integer.MAX_VALUE, "", false);
        }

        @Override
        public List<String> reconcile(DesiredShape shape, Set<String> retiring, List<String> releasable) {
            return List.of();
        }
    };
}
