package io.warden.coordinator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warden.common.metrics.ProcessMetrics;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.registry.AgentRegistry;

/** The coordinator's {@code warden_*} metrics (leadership, epoch, agents) and JVM metrics. */
final class CoordinatorMetrics implements AutoCloseable {

    private final ProcessMetrics process = new ProcessMetrics(new PrometheusRegistry());

    CoordinatorMetrics(LeaderElection election, AgentRegistry registry) {
        PrometheusMeterRegistry r = process.registry();
        Gauge.builder("warden.coordinator.leader", election, e -> e.current().leading() ? 1 : 0)
                .description("1 while this coordinator leads").register(r);
        Gauge.builder("warden.coordinator.epoch", election, e -> e.current().epoch())
                .description("The leadership term this coordinator last saw").register(r);
        Gauge.builder("warden.agents.registered", registry, AgentRegistry::size)
                .description("Agents that have reported to this coordinator").register(r);
    }

    PrometheusMeterRegistry registry() {
        return process.registry();
    }

    @Override
    public void close() {
        process.close();
    }
}
