package io.warden.coordinator.election;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LeaseSettingsTest {

    @Test
    void defaultsAreClientGosUsualTimings() {
        LeaseSettings settings = LeaseSettings.withDefaults("ns", "lease", "me", "http://me:9737");
        assertEquals(Duration.ofSeconds(15), settings.leaseDuration());
        assertEquals(Duration.ofSeconds(10), settings.renewDeadline());
        assertEquals(Duration.ofSeconds(2), settings.retryPeriod());
    }

    @Test
    void timingsMustShrinkFromLeaseToRenewToRetry() {
        assertThrows(IllegalArgumentException.class, () -> timings(10, 10_000, 2_000));
        assertThrows(IllegalArgumentException.class, () -> timings(15, 2_000, 2_000));
        assertThrows(IllegalArgumentException.class, () -> timings(15, 10_000, 0));
    }

    @Test
    void theLeaseIsWholeSecondsBecauseTheLeaseStoresSeconds() {
        assertThrows(IllegalArgumentException.class, () -> new LeaseSettings("ns", "lease", "me", "",
                Duration.ofMillis(2500), Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private static LeaseSettings timings(long leaseSeconds, long renewMillis, long retryMillis) {
        return new LeaseSettings("ns", "lease", "me", "", Duration.ofSeconds(leaseSeconds),
                Duration.ofMillis(renewMillis), Duration.ofMillis(retryMillis));
    }
}
