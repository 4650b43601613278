/**
 * Health and metrics over HTTP ({@link io.tetheritall.hub.daemon.health.HealthServer} on the JDK's
 * {@code HttpServer}): {@code /health}, {@code /readyz}, {@code /performance/health},
 * {@code /performance/metrics} (the origin document's JSON shape, deep-merged from
 * {@link io.tetheritall.hub.daemon.health.HealthContributor}s) and {@code /metrics} (Prometheus text from
 * {@link io.tetheritall.hub.daemon.health.HubMetrics}).
 */
package io.tetheritall.hub.daemon.health;
