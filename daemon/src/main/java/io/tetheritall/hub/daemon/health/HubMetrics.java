package io.tetheritall.hub.daemon.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The hub's one meter registry, scraped at {@code /metrics} in the Prometheus text format, with the
 * JVM binders (memory, GC, threads, class loading, uptime, process CPU and file descriptors).
 *
 * <p>Components register their own meters on {@link #registry()} (counters for dropped frames,
 * timers for radio round trips, resilience4j's breaker binders). Names use dots
 * ({@code hub.radio.frames.dropped}); Prometheus output turns them into {@code hub_radio_frames_dropped_total}.
 *
 * <p>Since Micrometer 1.13 the Prometheus registry lives in {@code io.micrometer.prometheusmetrics}
 * (Prometheus client 1.x); the old {@code io.micrometer.prometheus} package is the deprecated 0.x
 * bridge and is not used here.
 */
public final class HubMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    /** @param hubId added as the {@code hub_id} tag of every meter, so several hubs can share a Prometheus */
    public HubMetrics(String hubId) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (hubId != null) {
            registry.config().commonTags("hub_id", hubId);
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Where components register meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops the GC listener and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
