package io.warden.coordinator.scale;

import java.nio.file.Path;

/** What a coordinator scales with: where the requested shape is kept, and where nodes come from. */
public record ScaleSupport(ShapeStore store, NodePool pool) {

    /** The shape in the local state directory; nodes run by someone else. */
    public static ScaleSupport local(Path stateDir) {
        return new ScaleSupport(new FileShapeStore(stateDir), NodePool.EXTERNAL);
    }
}
