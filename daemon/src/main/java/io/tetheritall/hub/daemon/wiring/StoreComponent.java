package io.tetheritall.hub.daemon.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tetheritall.hub.daemon.Component;
import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.health.HealthSections;
import io.tetheritall.hub.store.StoreConfig;
import io.tetheritall.hub.store.StoreMetrics;
import io.tetheritall.hub.store.TieredCache;
import io.tetheritall.hub.store.l1.EvictionPolicy;
import io.tetheritall.hub.store.outbox.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.tinylog.Logger;

/**
 * The tiered store (Chronicle Map L1, MapDB L2 with write-behind) and the durable outbox, under the
 * state directory. Device state from the hub core is cached under {@code state:<ieee>}: reads are L1
 * hits, and the L2 copy is written behind, debounced, so a chatty sensor does not wear the SD card.
 */
public final class StoreComponent implements Component {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubConfig config;
    private final Supplier<HubApi> hub;
    private final MeterRegistry meters;
    private TieredCache cache;
    private Outbox outbox;
    private AutoCloseable subscription;

    public StoreComponent(HubConfig config, Supplier<HubApi> hub, MeterRegistry meters) {
        this.config = config;
        this.hub = hub;
        this.meters = meters;
    }

    /** The store configuration the hub's settings map to. */
    public static StoreConfig storeConfig(HubConfig config) {
        Path dir = config.stateDir().resolve("store");
        return StoreConfig.builder().stateDir(dir).maxEntries(config.cacheMaxSize())
                .evictionPolicy(EvictionPolicy.parse(config.cacheEvictionPolicy().name().toLowerCase()))
                .defaultTtl(Duration.ofSeconds(config.cacheDefaultTtlSeconds()))
                .compressionEnabled(config.cacheCompressionEnabled())
                .compressionThreshold(config.cacheCompressionThreshold())
                .outboxMaxCount(config.outboxMaxMessages()).outboxMaxBytes(config.outboxMaxBytes())
                .backgroundThreads(true).build();
    }

    @Override
    public String name() {
        return "store";
    }

    public TieredCache cache() {
        return cache;
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void start() throws Exception {
        long t0 = System.nanoTime();
        StoreConfig sc = storeConfig(config);
        cache = TieredCache.open(sc);
        outbox = Outbox.open(sc, io.tetheritall.hub.store.StoreClock.system());
        Logger.info("store open in {} ms: {} entries warmed into L1, {} messages in the outbox",
                (System.nanoTime() - t0) / 1_000_000, cache.metrics().warmedEntries(), outbox.size());
        HubApi api = hub.get();
        if (api != null) {
            subscription = api.subscribe(e -> {
                if (e.type() == HubEvent.Type.STATE && e.ieee() != null) {
                    try {
                        cache.put("state:" + e.ieee(), JSON.writeValueAsBytes(e.data()));
                    } catch (Exception ex) {
                        Logger.warn("store: state of {} not cached: {}", e.ieee(), ex.toString());
                    }
                }
            });
        }
        bindMetrics();
    }

    private void bindMetrics() {
        gauge("hub_cache_l1_hits_total", StoreMetrics::l1Hits);
        gauge("hub_cache_l1_misses_total", StoreMetrics::l1Misses);
        gauge("hub_cache_l2_hits_total", StoreMetrics::l2Hits);
        gauge("hub_cache_l2_misses_total", StoreMetrics::l2Misses);
        gauge("hub_cache_l1_entries", StoreMetrics::l1Entries);
        gauge("hub_cache_l1_bytes", StoreMetrics::l1Bytes);
        gauge("hub_cache_evictions_total", m -> m.evictionsSize() + m.evictionsBytes() + m.evictionsExpired());
        gauge("hub_cache_compression_ratio", StoreMetrics::compressionRatio);
        gauge("hub_cache_decode_failures_total", StoreMetrics::decodeFailures);
        gauge("hub_cache_write_behind_backlog", StoreMetrics::writeBehindBacklog);
        gauge("hub_cache_l2_commits_total", StoreMetrics::l2Commits);
        gauge("hub_cache_l2_write_failures_total", StoreMetrics::l2WriteFailures);
        Gauge.builder("hub_outbox_messages", this, s -> s.outbox.size()).register(meters);
    }

    private void gauge(String name, ToDoubleFunction<StoreMetrics> f) {
        Gauge.builder(name, this, s -> f.applyAsDouble(s.cache.metrics())).register(meters);
    }

    @Override
    public void stop() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    @Override
    public Optional<HealthContributor> health() {
        return Optional.of(HealthContributor.of("store", () -> {
            StoreMetrics m = cache.metrics();
            Map<String, Object> l1 = new LinkedHashMap<>();
            l1.put("items", m.l1Entries());
            l1.put("size_bytes", m.l1Bytes());
            l1.put("max_size", config.cacheMaxSize());
            l1.put("hit_rate", m.l1HitRate());
            Map<String, Object> l2 = new LinkedHashMap<>();
            l2.put("enabled", true);
            l2.put("connected", true);
            l2.put("items", m.l2Entries());
            l2.put("write_behind_backlog", m.writeBehindBacklog());
            return Map.of(HealthSections.CACHE, Map.of(HealthSections.L1_CACHE, l1, HealthSections.L2_CACHE, l2),
                    "outbox", Map.of("messages", outbox.size()));
        }));
    }
}
