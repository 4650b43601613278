package io.tetheritall.hub.daemon.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

/**
 * The registered {@link HealthContributor}s and the documents built from them. Thread-safe:
 * contributors can be added while the HTTP server runs (components register as they start).
 */
public final class HealthRegistry {
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    /** Adds a contributor; names should be unique (a duplicate is kept, and logged). */
    public void register(HealthContributor c) {
        Objects.requireNonNull(c, "contributor");
        for (HealthContributor existing : contributors) {
            if (existing.name().equals(c.name())) {
                Logger.warn("health contributor name {} registered twice", c.name());
            }
        }
        contributors.add(c);
    }

    /** Removes a contributor (a component that stopped). */
    public void unregister(HealthContributor c) {
        contributors.remove(c);
    }

    /** A snapshot of the contributors, in registration order. */
    public List<HealthContributor> contributors() {
        return List.copyOf(contributors);
    }

    /** Readiness of every contributor: name → reasons (empty when ready). */
    public Map<String, List<String>> readiness() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (HealthContributor c : contributors) {
            List<String> reasons;
            try {
                reasons = c.ready() ? List.of() : nonEmptyReasons(c.notReadyReasons());
            } catch (RuntimeException e) {
                // A broken health check must not take the endpoint down; it makes the hub not ready.
                Logger.warn(e, "health contributor {} failed", c.name());
                reasons = List.of("health check failed: " + e);
            }
            out.merge(c.name(), reasons, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        return out;
    }

    private static List<String> nonEmptyReasons(List<String> reasons) {
        return reasons == null || reasons.isEmpty() ? List.of("not ready (no reason given)") : List.copyOf(reasons);
    }

    /** Whether every contributor is ready. */
    public boolean allReady() {
        return readiness().values().stream().allMatch(List::isEmpty);
    }

    /**
     * All contributions deep-merged into one document that always has the origin document's four
     * sections ({@code rate_limiter}, {@code cache.l1_cache}, {@code cache.l2_cache},
     * {@code circuit_breakers}, {@code pools}), empty when nobody filled them.
     */
    public Map<String, Object> sections() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(HealthSections.RATE_LIMITER, new LinkedHashMap<String, Object>());
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put(HealthSections.L1_CACHE, new LinkedHashMap<String, Object>());
        cache.put(HealthSections.L2_CACHE, new LinkedHashMap<String, Object>());
        doc.put(HealthSections.CACHE, cache);
        doc.put(HealthSections.CIRCUIT_BREAKERS, new LinkedHashMap<String, Object>());
        doc.put(HealthSections.POOLS, new LinkedHashMap<String, Object>());
        for (HealthContributor c : contributors) {
            Map<String, Object> part;
            try {
                part = c.health();
            } catch (RuntimeException e) {
                Logger.warn(e, "health contributor {} failed", c.name());
                part = Map.of("errors", Map.of(c.name(), String.valueOf(e)));
            }
            if (part != null) {
                deepMerge(doc, part, c.name());
            }
        }
        return doc;
    }

    /** Merges {@code from} into {@code into}: maps recursively, anything else replaced (later wins). */
    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> into, Map<String, Object> from, String who) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object existing = into.get(e.getKey());
            Object incoming = e.getValue();
            if (existing instanceof Map && incoming instanceof Map) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                deepMerge(copy, (Map<String, Object>) incoming, who);
                into.put(e.getKey(), copy);
            } else {
                if (existing != null && !(existing instanceof Map && ((Map<?, ?>) existing).isEmpty())
                        && !Objects.equals(existing, incoming)) {
                    Logger.debug("health key {} from {} replaces an earlier value", e.getKey(), who);
                }
                into.put(e.getKey(), incoming instanceof Map
                        ? new LinkedHashMap<>((Map<String, Object>) incoming) : incoming);
            }
        }
    }
}
