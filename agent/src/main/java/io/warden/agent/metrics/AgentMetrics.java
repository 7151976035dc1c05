package io.warden.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.warden.agent.redis.RedisObservation;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's one metrics registry: Redis's metrics (rendered from the latest observation), the agent's own
 * {@code warden_*} meters, and JVM metrics. It listens to every observation to time it and count failures.
 */
public final class AgentMetrics implements Consumer<RedisObservation>, AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final Timer observationDuration;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public AgentMetrics(Supplier<RedisObservation> latest) {
        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new RedisMetricsCollector(latest));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus, io.micrometer.core.instrument.Clock.SYSTEM);
        // Names promtool's lint rejects (a "_ns" unit, a "_count" gauge); process_cpu_usage says the same.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
        observationDuration = Timer.builder("warden.observation.duration")
                .description("Time the agent took to read Redis in one tick")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void accept(RedisObservation observation) {
        observationDuration.record(observation.took());
        if (!observation.up()) {
            Counter.builder("warden.observation.failures")
                    .description("Ticks in which the agent could not read Redis, by reason")
                    .tag("reason", observation.reachability().state().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
