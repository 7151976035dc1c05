package io.warden.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects data points by metric name for one scrape, then builds the Prometheus snapshots in one go. */
final class Families {

    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
    private final Map<String, InfoSnapshot.Builder> infos = new LinkedHashMap<>();

    void gauge(String name, String help, double value, String... labels) {
        gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
    }

    void counter(String name, String help, double value, String... labels) {
        counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
    }

    /** An info metric: exposed as {@code <name>_info} with value 1 and the labels. */
    void info(String name, String help, String... labels) {
        infos.computeIfAbsent(name, n -> InfoSnapshot.builder().name(n).help(help))
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(labels)).build());
    }

    MetricSnapshots build() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        gauges.values().forEach(b -> all.metricSnapshot(b.build()));
        counters.values().forEach(b -> all.metricSnapshot(b.build()));
        infos.values().forEach(b -> all.metricSnapshot((MetricSnapshot) b.build()));
        return all.build();
    }
}
