package io.warden.agent.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.warden.common.snapshot.SnapshotException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code warden_snapshot_duration_seconds}, {@code warden_snapshot_size_bytes},
 * {@code warden_snapshot_last_success_timestamp_seconds} and {@code warden_snapshot_failures_total{reason}}; with a
 * schedule also {@code warden_snapshot_interval_seconds}, so an alert can say "older than twice the interval" per pod.
 */
final class SnapshotMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final AtomicLong size = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();

    SnapshotMetrics(MeterRegistry registry, Optional<Duration> interval) {
        this.registry = registry;
        this.duration = Timer.builder("warden.snapshot.duration").description("Time from request to a published, verified snapshot")
                .register(registry);
        Gauge.builder("warden.snapshot.size", size, AtomicLong::get).baseUnit("bytes")
                .description("Size of the last published snapshot's RDB").register(registry);
        Gauge.builder("warden.snapshot.last.success.timestamp", lastSuccess, AtomicLong::get).baseUnit("seconds")
                .description("When the last snapshot was published (Unix time)").register(registry);
        interval.ifPresent(every -> Gauge.builder("warden.snapshot.interval", every::toSeconds).baseUnit("seconds")
                .description("WARDEN_SNAPSHOT_INTERVAL: how often a snapshot is taken").register(registry));
        // Every reason present from the start, at 0, so increase() over it works from the first failure on.
        for (SnapshotException.Reason reason : SnapshotException.Reason.values()) {
            failures(reason.label());
        }
    }

    void succeeded(Duration took, long bytes, long epochSecond) {
        duration.record(took);
        size.set(bytes);
        lastSuccess.set(epochSecond);
    }

    void failed(String reason) {
        failures(reason).increment();
    }

    private Counter failures(String reason) {
        return Counter.builder("warden.snapshot.failures").description("Snapshots that failed, by reason").tag("reason", reason)
                .register(registry);
    }
}
