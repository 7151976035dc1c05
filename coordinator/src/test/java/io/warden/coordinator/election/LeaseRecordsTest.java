package io.warden.coordinator.election;

import io.kubernetes.client.openapi.models.V1Lease;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseRecordsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static LeaseSettings settings(String identity) {
        return new LeaseSettings("ns", "lease", identity, "http://" + identity + ":9737",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    @Test
    void aNewLeaseCarriesKindApiVersionHolderAndUrl() {
        V1Lease lease = LeaseRecords.created(settings("a"), 0, T0);
        assertEquals("Lease", lease.getKind());
        assertEquals("coordination.k8s.io/v1", lease.getApiVersion());
        assertEquals("a", LeaseRecords.holder(lease));
        assertEquals(0, LeaseRecords.transitions(lease));
        assertEquals(15, lease.getSpec().getLeaseDurationSeconds());
        assertEquals("http://a:9737", LeaseRecords.leaderUrl(lease));
    }

    @Test
    void renewingKeepsTheTermAndTakingOverStartsTheNext() {
        V1Lease held = LeaseRecords.created(settings("a"), 3, T0);
        held.getMetadata().setResourceVersion("7");

        V1Lease renewed = LeaseRecords.claimed(held, settings("a"), T0.plusSeconds(2));
        assertEquals(3, LeaseRecords.transitions(renewed));
        assertEquals(held.getSpec().getAcquireTime(), renewed.getSpec().getAcquireTime());
        assertEquals(T0.plusSeconds(2), renewed.getSpec().getRenewTime().toInstant());
        assertEquals("7", renewed.getMetadata().getResourceVersion(), "the replace is conditional on what we read");

        V1Lease taken = LeaseRecords.claimed(held, settings("b"), T0.plusSeconds(20));
        assertEquals(4, LeaseRecords.transitions(taken));
        assertEquals("b", LeaseRecords.holder(taken));
        assertEquals("http://b:9737", LeaseRecords.leaderUrl(taken));
        assertEquals("a", LeaseRecords.holder(held), "what we read is left as it was");
    }

    @Test
    void aReleasedLeaseIsVacantWithoutUrlAndKeepsItsTerm() {
        V1Lease released = LeaseRecords.released(LeaseRecords.created(settings("a"), 5, T0), T0.plusSeconds(1));
        assertTrue(LeaseRecords.vacant(released));
        assertEquals("", LeaseRecords.leaderUrl(released));
        assertEquals(5, LeaseRecords.transitions(released));
        assertEquals(1, released.getSpec().getLeaseDurationSeconds());
    }

    @Test
    void aClaimLapsesOnlyAfterRenewTimePlusItsDuration() {
        V1Lease lease = LeaseRecords.created(settings("a"), 0, T0);
        assertFalse(LeaseRecords.lapsed(lease, T0.plusSeconds(15)));
        assertTrue(LeaseRecords.lapsed(lease, T0.plusSeconds(15).plusMillis(1)));
    }
}
