package io.tetheritall.hub.radios.scheduler;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.time.HubClock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Builds resilience4j circuit breakers for radios (and bridges) on the injected clock.
 *
 * <p>Only radio-level failures count: {@link RadioError#TIMEOUT} (an SREQ that got no SRSP) and
 * {@link RadioError#RADIO_UNAVAILABLE} (link loss). A device's no-ack, a rejected parameter or a full
 * buffer is an answer from a working radio and counts as a success. resilience4j matches recorded
 * exceptions against the thrown type only, so a {@code CompletionException} wrapping a timeout would
 * count as a success: the predicate unwraps first.
 *
 * <p>"Failure threshold N" is mapped to a count-based window of N calls, all of which must fail
 * (100 % failure rate): N consecutive radio-level failures open the breaker. The open state's wait is
 * measured with resilience4j's {@code clock(...)} option fed from {@link HubClock}; automatic
 * open→half-open transition stays off (it would start a real-time timer thread), the dispatcher
 * asks for permission and resilience4j moves to half-open on the first request after the wait.
 */
public final class RadioBreakers {
    private RadioBreakers() {
    }

    /** Whether {@code t} (possibly wrapped) is a radio-level failure that should count against the breaker. */
    public static boolean isRadioFailure(Throwable t) {
        RadioException re = RadioException.find(t);
        return re != null && (re.error() == RadioError.TIMEOUT || re.error() == RadioError.RADIO_UNAVAILABLE);
    }

    /**
     * Whether {@code t} says nothing about the radio's health either way: a device that was reported
     * unreachable without a status from the radio (a missing AF_DATA_CONFIRM or ZDO callback). Counting
     * it as a success would reset the run of timeouts a wedged stick produces (a request it accepted just
     * before hanging ends this way), and counting it as a failure would let one slow sleepy device open
     * the breaker; so it is left out of the window.
     */
    public static boolean isSilentOnRadioHealth(Throwable t) {
        RadioException re = RadioException.find(t);
        return re != null && re.error() == RadioError.DEVICE_UNREACHABLE && re.status() < 0;
    }

    /** A breaker named {@code name} with the config's breaker settings on {@code clock}. */
    public static CircuitBreaker create(String name, SchedulerConfig config, HubClock clock) {
        int n = config.breakerFailureThreshold();
        CircuitBreakerConfig cfg = CircuitBreakerConfig.custom()
                .slidingWindow(n, n, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100.0f)
                .waitDurationInOpenState(config.breakerRecoveryTimeout())
                .permittedNumberOfCallsInHalfOpenState(config.breakerHalfOpenMaxCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(RadioBreakers::isRadioFailure)
                .ignoreException(RadioBreakers::isSilentOnRadioHealth)
                .clock(javaClock(clock))
                .currentTimestampFunction(c -> clock.nanos(), TimeUnit.NANOSECONDS)
                .build();
        return CircuitBreaker.of(name, cfg);
    }

    /** A {@link Clock} whose instants follow {@code clock}'s monotonic nanoseconds (for libraries that want one). */
    public static Clock javaClock(HubClock clock) {
        return new HubJavaClock(clock);
    }

    private static final class HubJavaClock extends Clock {
        private final HubClock clock;

        HubJavaClock(HubClock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plus(Duration.ofNanos(clock.nanos()));
        }

        @Override
        public long millis() {
            return clock.millis();
        }
    }
}
