package io.tetheritall.hub.daemon.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.tetheritall.hub.daemon.config.BindAddress;
import io.tetheritall.hub.radios.time.NamedThreadFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/**
 * The health and metrics HTTP endpoint on the JDK's built-in {@link HttpServer} (no framework: it
 * costs no heap worth mentioning on a Pi). Bound to {@code HTTP_BIND}, loopback by default.
 *
 * <table>
 *   <caption>Endpoints (GET or HEAD; other methods get 405)</caption>
 *   <tr><td>{@code /health}</td><td>liveness: 200 {@code {"status":"UP"}} while the process serves</td></tr>
 *   <tr><td>{@code /readyz}</td><td>200 when every {@link HealthContributor} is ready, else 503 with the reasons</td></tr>
 *   <tr><td>{@code /performance/health}</td><td>status, readiness per component, and the merged sections</td></tr>
 *   <tr><td>{@code /performance/metrics}</td><td>the merged sections plus JVM figures</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text format from {@link HubMetrics}</td></tr>
 * </table>
 * Anything else gets a 404 JSON body.
 *
 * <p>Requests run on a small bounded pool of named threads ({@code hub-http-N}); when it is
 * saturated the server's dispatcher thread runs the request itself, which slows accepting new
 * connections instead of queueing without bound.
 */
public final class HealthServer implements AutoCloseable {
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final BindAddress bind;
    private final HealthRegistry health;
    private final HubMetrics metrics;
    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final long startMillis = System.currentTimeMillis();
    private HttpServer server;
    private ThreadPoolExecutor executor;

    /**
     * @param bind    where to listen; port 0 picks a free port (see {@link #port()})
     * @param health  the contributors to report
     * @param metrics the meter registry to scrape; its request counters are registered here too
     */
    public HealthServer(BindAddress bind, HealthRegistry health, HubMetrics metrics) {
        this.bind = Objects.requireNonNull(bind, "bind");
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Binds and starts serving; throws if the address is taken. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer s = HttpServer.create(new InetSocketAddress(bind.host(), bind.port()), 16);
        executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
                new NamedThreadFactory("hub-http"), new ThreadPoolExecutor.CallerRunsPolicy());
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        Logger.info("health and metrics HTTP on {}", server.getAddress());
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** Stops accepting and closes connections, without waiting for exchanges in progress (they are short). */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        int status;
        try {
            Route route = Route.of(path);
            if (route == null) {
                status = sendJson(ex, 404, Map.of("error", "not found", "path", path));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                status = sendJson(ex, 405, Map.of("error", "method not allowed", "method", method, "allowed",
                        List.of("GET", "HEAD")));
            } else {
                status = serve(route, ex);
            }
        } catch (RuntimeException e) {
            Logger.error(e, "health endpoint {} failed", path);
            status = sendJson(ex, 500, Map.of("error", "internal error"));
        } finally {
            ex.close();
        }
        Route r = Route.of(path);
        Counter.builder("hub.http.requests").description("Health and metrics HTTP requests")
                .tag("path", r == null ? "other" : r.path).tag("status", Integer.toString(status))
                .register(metrics.registry()).increment();
    }

    private int serve(Route route, HttpExchange ex) throws IOException {
        switch (route) {
            case HEALTH:
                return sendJson(ex, 200, Map.of("status", "UP"));
            case READYZ: {
                Map<String, List<String>> readiness = health.readiness();
                boolean ready = readiness.values().stream().allMatch(List::isEmpty);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", ready ? "READY" : "NOT_READY");
                Map<String, Object> checks = new LinkedHashMap<>();
                readiness.forEach((name, reasons) -> checks.put(name, reasons.isEmpty() ? "ok" : reasons));
                body.put("checks", checks);
                if (!ready) {
                    Map<String, Object> reasons = new LinkedHashMap<>();
                    readiness.forEach((name, rs) -> {
                        if (!rs.isEmpty()) {
                            reasons.put(name, rs);
                        }
                    });
                    body.put("reasons", reasons);
                }
                return sendJson(ex, ready ? 200 : 503, body);
            }
            case PERFORMANCE_HEALTH: {
                Map<String, List<String>> readiness = health.readiness();
                boolean ready = readiness.values().stream().allMatch(List::isEmpty);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", ready ? "UP" : "DEGRADED");
                body.put("ready", ready);
                Map<String, Object> components = new LinkedHashMap<>();
                readiness.forEach((name, reasons) -> components.put(name,
                        Map.of("ready", reasons.isEmpty(), "reasons", reasons)));
                body.put("components", components);
                body.putAll(health.sections());
                return sendJson(ex, 200, body);
            }
            case PERFORMANCE_METRICS: {
                Map<String, Object> body = new LinkedHashMap<>(health.sections());
                body.put("jvm", jvmFigures());
                return sendJson(ex, 200, body);
            }
            case METRICS:
                return send(ex, 200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
            default:
                throw new AssertionError(route);
        }
    }

    private Map<String, Object> jvmFigures() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uptime_seconds", (System.currentTimeMillis() - startMillis) / 1000);
        m.put("heap_used_bytes", heap.getUsed());
        m.put("heap_committed_bytes", heap.getCommitted());
        m.put("heap_max_bytes", heap.getMax());
        m.put("non_heap_used_bytes", nonHeap.getUsed());
        m.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    private int sendJson(HttpExchange ex, int status, Object body) throws IOException {
        return send(ex, status, JSON, json.writeValueAsBytes(body));
    }

    private static int send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
        return status;
    }

    private enum Route {
        HEALTH("/health"), READYZ("/readyz"), PERFORMANCE_HEALTH("/performance/health"),
        PERFORMANCE_METRICS("/performance/metrics"), METRICS("/metrics");

        private final String path;

        Route(String path) {
            this.path = path;
        }

        static Route of(String path) {
            for (Route r : values()) {
                // A trailing slash is tolerated: curl users type it.
                if (r.path.equals(path) || (r.path + "/").equals(path)) {
                    return r;
                }
            }
            return null;
        }
    }
}
