package io.tetheritall.hub.daemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.tetheritall.hub.daemon.config.BindAddress;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HealthRegistry registry;
    private HubMetrics metrics;
    private HealthServer server;

    /** A contributor whose readiness a test flips. */
    static final class Flippable implements HealthContributor {
        final String name;
        final AtomicReference<List<String>> reasons = new AtomicReference<>(List.of());
        final Map<String, Object> sections;

        Flippable(String name, Map<String, Object> sections) {
            this.name = name;
            this.sections = sections;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, Object> health() {
            return sections;
        }

        @Override
        public List<String> notReadyReasons() {
            return reasons.get();
        }
    }

    @BeforeEach
    void start() throws Exception {
        registry = new HealthRegistry();
        metrics = new HubMetrics("test-hub");
        server = new HealthServer(new BindAddress("127.0.0.1", 0), registry, metrics);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return request("GET", path);
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> r = get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"UP\"}", r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void readinessFlipsTo503WithReasonsAndBack() throws Exception {
        Flippable radio = new Flippable("znp", Map.of());
        Flippable mqtt = new Flippable("mqtt", Map.of());
        registry.register(radio);
        registry.register(mqtt);

        HttpResponse<String> ok = get("/readyz");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("READY", json.readTree(ok.body()).get("status").asText());

        radio.reasons.set(List.of("radio /dev/ttyUSB0 is DOWN"));
        HttpResponse<String> down = get("/readyz");
        assertEquals(503, down.statusCode());
        JsonNode body = json.readTree(down.body());
        assertEquals("NOT_READY", body.get("status").asText());
        assertEquals("radio /dev/ttyUSB0 is DOWN", body.get("reasons").get("znp").get(0).asText());
        assertFalse(body.get("reasons").has("mqtt"), "only failing checks are reasons");
        assertEquals("ok", body.get("checks").get("mqtt").asText());

        JsonNode perf = json.readTree(get("/performance/health").body());
        assertEquals("DEGRADED", perf.get("status").asText());
        assertFalse(perf.get("components").get("znp").get("ready").asBoolean());

        radio.reasons.set(List.of());
        assertEquals(200, get("/readyz").statusCode());
    }

    @Test
    void aThrowingContributorMakesTheHubNotReadyButTheEndpointAnswers() throws Exception {
        registry.register(new HealthContributor() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Map<String, Object> health() {
                throw new IllegalStateException("boom");
            }

            @Override
            public boolean ready() {
                throw new IllegalStateException("boom");
            }
        });
        HttpResponse<String> r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("health check failed"), r.body());
        assertEquals(200, get("/performance/metrics").statusCode());
    }

    @Test
    void performanceDocumentsHaveTheOriginShapeMergedFromContributors() throws Exception {
        registry.register(new Flippable("store", Map.of(HealthSections.CACHE,
                Map.of(HealthSections.L1_CACHE, Map.of("items", 1250, "size_bytes", 52_428_800)))));
        registry.register(new Flippable("config", Map.of(HealthSections.CACHE,
                Map.of(HealthSections.L1_CACHE, Map.of("max_size", 10_000)),
                HealthSections.RATE_LIMITER, Map.of("enabled", true))));
        registry.register(new Flippable("znp", Map.of(HealthSections.CIRCUIT_BREAKERS,
                Map.of("znp", Map.of("state", "CLOSED", "failure_count", 0, "last_failure_time", 0)),
                HealthSections.POOLS, Map.of("znp", Map.of("max_in_flight", 16)))));
        registry.register(new Flippable("hue", Map.of(HealthSections.CIRCUIT_BREAKERS,
                Map.of("hue", Map.of("state", "OPEN", "failure_count", 5, "last_failure_time", 1700000000)))));

        for (String path : List.of("/performance/health", "/performance/metrics")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            JsonNode doc = json.readTree(r.body());
            JsonNode l1 = doc.get("cache").get("l1_cache");
            assertEquals(1250, l1.get("items").asInt(), path);
            assertEquals(52_428_800, l1.get("size_bytes").asLong(), path);
            assertEquals(10_000, l1.get("max_size").asInt(), path);
            assertTrue(doc.get("cache").get("l2_cache").isObject(), path);
            assertTrue(doc.get("rate_limiter").get("enabled").asBoolean(), path);
            assertEquals("CLOSED", doc.get("circuit_breakers").get("znp").get("state").asText(), path);
            assertEquals(5, doc.get("circuit_breakers").get("hue").get("failure_count").asInt(), path);
            assertEquals(16, doc.get("pools").get("znp").get("max_in_flight").asInt(), path);
        }
        JsonNode health = json.readTree(get("/performance/health").body());
        assertEquals("UP", health.get("status").asText());
        assertEquals(4, health.get("components").size());
        JsonNode metricsDoc = json.readTree(get("/performance/metrics").body());
        assertTrue(metricsDoc.get("jvm").get("heap_used_bytes").asLong() > 0);
    }

    @Test
    void emptyRegistryStillHasTheFourSections() throws Exception {
        JsonNode doc = json.readTree(get("/performance/metrics").body());
        for (String s : List.of("rate_limiter", "cache", "circuit_breakers", "pools")) {
            assertTrue(doc.has(s), s);
        }
        assertTrue(doc.get("cache").has("l1_cache"));
        assertTrue(doc.get("cache").has("l2_cache"));
    }

    @Test
    void prometheusTextHasJvmMetricsAndCustomCounters() throws Exception {
        Counter.builder("hub.radio.frames.dropped").tag("radio", "znp").register(metrics.registry()).increment(3);
        get("/health");
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        for (String m : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_uptime_seconds",
                "jvm_classes_loaded_classes", "system_cpu_count")) {
            assertTrue(text.contains(m), m + " missing");
        }
        List<String> dropped = new ArrayList<>();
        text.lines().filter(l -> l.startsWith("hub_radio_frames_dropped_total{")).forEach(dropped::add);
        assertEquals(1, dropped.size(), text);
        assertTrue(dropped.get(0).contains("radio=\"znp\""), dropped.get(0));
        assertTrue(dropped.get(0).contains("hub_id=\"test-hub\""), dropped.get(0));
        assertTrue(dropped.get(0).endsWith(" 3.0"), dropped.get(0));
        assertTrue(text.lines().anyMatch(l -> l.startsWith("hub_http_requests_total{") && l.contains("path=\"/health\"")
                && l.contains("status=\"200\"")), "request counter");
    }

    @Test
    void unknownPathIs404JsonAndWrongMethodIs405() throws Exception {
        HttpResponse<String> nf = get("/nope");
        assertEquals(404, nf.statusCode());
        assertEquals("/nope", json.readTree(nf.body()).get("path").asText());

        HttpResponse<String> post = request("POST", "/health");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        assertEquals("method not allowed", json.readTree(post.body()).get("error").asText());
        assertEquals(405, request("DELETE", "/metrics").statusCode());
    }

    @Test
    void headAnswersWithoutBodyAndTrailingSlashIsTolerated() throws Exception {
        HttpResponse<String> head = request("HEAD", "/readyz");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(200, get("/health/").statusCode());
    }

    @Test
    void stopReleasesThePort() throws Exception {
        int port = server.port();
        server.stop();
        HealthServer again = new HealthServer(new BindAddress("127.0.0.1", port), registry, metrics);
        again.start();
        try {
            assertEquals(port, again.port());
        } finally {
            again.stop();
        }
    }
}
