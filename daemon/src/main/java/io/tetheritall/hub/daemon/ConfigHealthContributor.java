package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.health.HealthContributor;
import io.tetheritall.hub.daemon.health.HealthSections;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configured limits, as the origin document's {@code /performance/*} sections show them
 * ({@code rate_limiter}, {@code cache.l1_cache.max_size}, ...). Live figures (items, failure counts)
 * come from the components and are merged over these.
 */
final class ConfigHealthContributor implements HealthContributor {
    private final Map<String, Object> sections;

    ConfigHealthContributor(HubConfig c) {
        Map<String, Object> rate = new LinkedHashMap<>();
        rate.put("requests_per_minute", c.rateLimitRequestsPerMinute());
        rate.put("per_second", c.rateLimitPerSecond());
        rate.put("burst_size", c.rateLimitBurstSize());
        Map<String, Object> l1 = new LinkedHashMap<>();
        l1.put("max_size", c.cacheMaxSize());
        l1.put("default_ttl", c.cacheDefaultTtlSeconds());
        l1.put("eviction_policy", c.cacheEvictionPolicy().name().toLowerCase(Locale.ROOT));
        l1.put("compression_enabled", c.cacheCompressionEnabled());
        l1.put("compression_threshold", c.cacheCompressionThreshold());
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put(HealthSections.L1_CACHE, l1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(HealthSections.RATE_LIMITER, rate);
        m.put(HealthSections.CACHE, cache);
        m.put("hub", Map.of("hub_id", c.hubId(), "profile", c.profile().label()));
        this.sections = Map.copyOf(m);
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public Map<String, Object> health() {
        return sections;
    }
}
