package io.warden.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.metrics.ProcessMetrics;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's one metrics registry: Redis's metrics (rendered from the latest observation), the agent's own
 * {@code warden_*} meters, and JVM metrics. It listens to every observation to time it and count failures.
 */
public final class AgentMetrics implements Consumer<RedisObservation>, AutoCloseable {

    private final ProcessMetrics process;
    private final Timer observationDuration;

    public AgentMetrics(Supplier<RedisObservation> latest) {
        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new RedisMetricsCollector(latest));
        process = new ProcessMetrics(prometheus);
        observationDuration = Timer.builder("warden.observation.duration")
                .description("Time the agent took to read Redis in one tick")
                .register(process.registry());
    }

    public PrometheusMeterRegistry registry() {
        return process.registry();
    }

    @Override
    public void accept(RedisObservation observation) {
        observationDuration.record(observation.took());
        if (!observation.up()) {
            Counter.builder("warden.observation.failures")
                    .description("Ticks in which the agent could not read Redis, by reason")
                    .tag("reason", observation.reachability().state().name().toLowerCase(Locale.ROOT))
                    .register(process.registry())
                    .increment();
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
