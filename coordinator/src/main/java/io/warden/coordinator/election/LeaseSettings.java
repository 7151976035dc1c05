package io.warden.coordinator.election;

import java.time.Duration;
import java.util.Objects;

/**
 * How a coordinator campaigns for the Kubernetes Lease.
 *
 * @param namespace     namespace of the Lease
 * @param leaseName     name of the Lease every coordinator of one deployment shares
 * @param identity      this coordinator's identity (its pod name); unique among the candidates
 * @param advertisedUrl base URL of this coordinator's API, published for followers to forward to
 * @param leaseDuration how long a holder's claim stands without renewal; followers wait this long
 * @param renewDeadline how long the leader keeps leading while its renewals fail; shorter than the lease,
 *                      so it stops before anyone else may take over
 * @param retryPeriod   the pause between two attempts to acquire or renew
 */
public record LeaseSettings(String namespace, String leaseName, String identity, String advertisedUrl,
                            Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    public LeaseSettings {
        requireText(namespace, "namespace");
        requireText(leaseName, "leaseName");
        requireText(identity, "identity");
        Objects.requireNonNull(advertisedUrl, "advertisedUrl");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        if (retryPeriod.isNegative() || retryPeriod.isZero()
                || renewDeadline.compareTo(retryPeriod) <= 0
                || leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("lease timings must satisfy leaseDuration > renewDeadline > retryPeriod > 0,"
                    + " got " + leaseDuration + " > " + renewDeadline + " > " + retryPeriod);
        }
        if (leaseDuration.toMillis() % 1000 != 0) {
            // The Lease stores whole seconds; rounding would make followers and the leader disagree.
            throw new IllegalArgumentException("leaseDuration must be whole seconds, got " + leaseDuration);
        }
    }

    /** Client-go's usual timings: 15 s lease, 10 s renew deadline, 2 s retry period. */
    public static LeaseSettings withDefaults(String namespace, String leaseName, String identity, String advertisedUrl) {
        return new LeaseSettings(namespace, leaseName, identity, advertisedUrl,
                DEFAULT_LEASE_DURATION, DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
