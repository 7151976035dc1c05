package io.warden.coordinator.scale;

import io.warden.coordinator.topology.DesiredShape;

import java.util.Optional;

/**
 * Where the shape a scale request set is kept, so that it outlives the coordinator: a file in local mode, a
 * ConfigMap in Kubernetes. Blocking: called off the event loop.
 */
public interface ShapeStore {

    Optional<DesiredShape> load() throws Exception;

    void save(DesiredShape shape) throws Exception;
}
