package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.TopologyReport;
import org.junit.jupiter.api.Test;

import static io.warden.coordinator.plan.ClusterViewBuilder.replication;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The master the topology publishes in replication mode: what master-following clients and role labels go by. */
class PublishedMasterTest {

    private static final String NEVER_PROMOTED = "0000000000000000000000000000000000000000";

    @Test
    void duringAHandoverTheNewMasterIsPublishedAsSoonAsItReportsEvenIfTheOldOnesReportIsStale() {
        // redis-0 handed over to redis-1; redis-0's last report (taken before) still says master. redis-1 continued
        // redis-0's history (its replid2 is redis-0's replid), so redis-0 is out of the picture already.
        ClusterView view = replication()
                .node("redis-0").offset(5000).keys(10).history("aaaa", NEVER_PROMOTED)
                .node("redis-1").offset(5000).keys(10).history("bbbb", "aaaa")
                .node("redis-2").following("10.0.0.1:6379").offset(5000).keys(10).history("aaaa", NEVER_PROMOTED)
                .build();

        assertEquals("redis-1", TopologyReport.shards(view).get(0).master().name());
    }

    @Test
    void beforeTheNewMasterReportsTheOldOneStaysPublished() {
        ClusterView view = replication()
                .node("redis-0").offset(5000).keys(10).history("aaaa", NEVER_PROMOTED)
                .node("redis-1").following("10.0.0.1:6379").offset(5000).keys(10).history("aaaa", NEVER_PROMOTED)
                .node("redis-2").following("10.0.0.1:6379").offset(5000).keys(10).history("aaaa", NEVER_PROMOTED)
                .build();

        assertEquals("redis-0", TopologyReport.shards(view).get(0).master().name());
    }
}
