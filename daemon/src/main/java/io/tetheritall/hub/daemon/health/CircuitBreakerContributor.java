package io.tetheritall.hub.daemon.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows a resilience4j {@link CircuitBreaker} in the origin document's shape,
 * {@code circuit_breakers.<name> = {state, failure_count, last_failure_time}}, and makes the hub
 * not ready while it is open. A radio hands its breaker to one of these instead of writing its own
 * contributor, so every breaker looks the same on {@code /performance/*}.
 *
 * <p>{@code last_failure_time} is Unix seconds of the last recorded error (0 = none), taken from the
 * wall clock given to the constructor.
 */
public final class CircuitBreakerContributor implements HealthContributor {
    private final CircuitBreaker breaker;
    private final AtomicLong lastFailureEpochSeconds = new AtomicLong();

    /** With the system wall clock. */
    public CircuitBreakerContributor(CircuitBreaker breaker) {
        this(breaker, Clock.systemUTC());
    }

    /**
     * @param wallClock stamps {@code last_failure_time}; resilience4j's own event times use the system
     *                  clock whatever the breaker is configured with, so the time is taken here
     */
    public CircuitBreakerContributor(CircuitBreaker breaker, Clock wallClock) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(wallClock, "wallClock");
        breaker.getEventPublisher().onError(e -> lastFailureEpochSeconds.set(wallClock.instant().getEpochSecond()));
    }

    @Override
    public String name() {
        return "circuit_breaker:" + breaker.getName();
    }

    @Override
    public Map<String, Object> health() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("state", breaker.getState().name());
        b.put("failure_count", m.getNumberOfFailedCalls());
        b.put("last_failure_time", lastFailureEpochSeconds.get());
        b.put("failure_rate", m.getFailureRate());
        b.put("not_permitted_calls", m.getNumberOfNotPermittedCalls());
        return Map.of(HealthSections.CIRCUIT_BREAKERS, Map.of(breaker.getName(), b));
    }

    @Override
    public List<String> notReadyReasons() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN) {
            return List.of("circuit breaker " + breaker.getName() + " is " + s.name().toLowerCase(Locale.ROOT));
        }
        return List.of();
    }
}
