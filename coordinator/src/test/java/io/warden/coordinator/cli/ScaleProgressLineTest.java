package io.warden.coordinator.cli;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Migration;
import io.warden.coordinator.topology.TopologyDocument.Scale;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line bin/warden scale and status print while a shape is being reached. */
class ScaleProgressLineTest {

    @Test
    void aScaleUnderWayShowsTheBarTheSlotsAndWhatIsInFlight() {
        TopologyDocument doc = doc(false, List.of(new Migration(5461, "redis-1", "redis-3", 120L, 124L),
                new Migration(5462, "redis-1", "redis-3", 30L, 214L)), new Scale(4, 0, false, 4096, 1024, List.of(), 0));

        assertEquals("scaling to 4 shards × 0 replicas: [########----------------------] 25%  1024/4096 slots moved, "
                + "2 in flight (150 keys moved)", ScaleProgressLine.render(doc));
    }

    @Test
    void newNodesAndRetiringOnesAreNamed() {
        TopologyDocument doc = doc(false, List.of(), new Scale(3, 1, false, 0, 0, List.of("redis-3", "redis-7"), 2));

        assertEquals("scaling to 3 shards × 1 replicas: [------------------------------] 0%  0/0 slots moved, "
                + "waiting for 2 new nodes, retiring redis-3, redis-7", ScaleProgressLine.render(doc));
    }

    @Test
    void doneOnlyOnceTheDeploymentIsHealthy() {
        Scale done = new Scale(4, 0, true, 4096, 4096, List.of(), 0);

        assertEquals("scaled to 4 shards × 0 replicas: done", ScaleProgressLine.render(doc(true, List.of(), done)));
        assertEquals("scaling to 4 shards × 0 replicas: [##############################] 100%  4096/4096 slots moved",
                ScaleProgressLine.render(doc(false, List.of(), done)));
    }

    @Test
    void noScaleRequestedPrintsNothing() {
        assertEquals("", ScaleProgressLine.render(doc(true, List.of(), null)));
    }

    private static TopologyDocument doc(boolean healthy, List<Migration> migrations, Scale scale) {
        return new TopologyDocument("cluster", 1, "coordinator-0", healthy, 16384, List.of(), List.of(), List.of(), List.of(),
                migrations, scale);
    }
}
