package io.tetheritall.hub.daemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CircuitBreakerContributorTest {

    @Test
    void showsStateFailuresAndLastFailureTimeAndGatesReadiness() {
        Clock fixed = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        CircuitBreaker cb = CircuitBreaker.of("znp", CircuitBreakerConfig.custom()
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50).clock(fixed).build());
        CircuitBreakerContributor c = new CircuitBreakerContributor(cb, fixed);
        HealthRegistry registry = new HealthRegistry();
        registry.register(c);

        assertTrue(registry.allReady());
        @SuppressWarnings("unchecked")
        Map<String, Object> closed = (Map<String, Object>) ((Map<String, Object>) registry.sections()
                .get(HealthSections.CIRCUIT_BREAKERS)).get("znp");
        assertEquals("CLOSED", closed.get("state"));
        assertEquals(0, closed.get("failure_count"));
        assertEquals(0L, closed.get("last_failure_time"));

        cb.onError(1, TimeUnit.MILLISECONDS, new IOException("BUFFER_FULL"));
        cb.onError(1, TimeUnit.MILLISECONDS, new IOException("BUFFER_FULL"));

        @SuppressWarnings("unchecked")
        Map<String, Object> open = (Map<String, Object>) ((Map<String, Object>) registry.sections()
                .get(HealthSections.CIRCUIT_BREAKERS)).get("znp");
        assertEquals("OPEN", open.get("state"));
        assertEquals(2, open.get("failure_count"));
        assertEquals(1_700_000_000L, open.get("last_failure_time"));
        assertEquals(Map.of("circuit_breaker:znp", List.of("circuit breaker znp is open")), registry.readiness());
    }
}
