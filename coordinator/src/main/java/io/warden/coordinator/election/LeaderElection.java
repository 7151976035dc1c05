package io.warden.coordinator.election;

import java.util.function.Consumer;

/**
 * The port through which a coordinator learns whether it leads. Two adapters: a Kubernetes Lease, and local
 * mode's single always-leading coordinator. Implementations run their own thread (the Kubernetes client
 * blocks) and never call listeners on a Vert.x event loop.
 */
public interface LeaderElection extends AutoCloseable {

    /** Starts campaigning (or, locally, takes the lead at once). */
    void start();

    /** The latest leadership seen; cheap, never blocks. */
    Leadership current();

    /** Called on every change: gaining, losing, a new leader elsewhere, a new epoch. */
    void onChange(Consumer<Leadership> listener);

    /** Stops campaigning and gives the lease up if held. */
    @Override
    void close();
}
