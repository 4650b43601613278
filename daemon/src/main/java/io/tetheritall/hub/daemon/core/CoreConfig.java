package io.tetheritall.hub.daemon.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The hub core's timing policy. Immutable; derive variants with the {@code with*} methods.
 *
 * @param stepTimeout           how long one interview step (a ZDO request or a ZCL read) may take
 * @param interviewRetries      how many times a failed interview is retried automatically
 * @param interviewBackoff      delay before the first retry; doubled for each further retry
 * @param commandTimeout        how long a set/get waits for the device to confirm
 * @param mainsPingAfter        silence after which a router / mains device is pinged (10 min)
 * @param batteryUnavailableAfter silence after which a battery device is marked unavailable (25 h)
 * @param persistDebounce       how long state changes may wait before being written
 */
public record CoreConfig(Duration stepTimeout, int interviewRetries, Duration interviewBackoff,
                        Duration commandTimeout, Duration mainsPingAfter, Duration batteryUnavailableAfter,
                        Duration persistDebounce) {
    public CoreConfig {
        Objects.requireNonNull(stepTimeout);
        Objects.requireNonNull(interviewBackoff);
        Objects.requireNonNull(commandTimeout);
        Objects.requireNonNull(mainsPingAfter);
        Objects.requireNonNull(batteryUnavailableAfter);
        Objects.requireNonNull(persistDebounce);
        if (interviewRetries < 0) {
            throw new IllegalArgumentException("interviewRetries must be >= 0, but was " + interviewRetries);
        }
    }

    /** Zigbee2MQTT-like defaults: 10 min ping for mains devices, 25 h for battery devices. */
    public static CoreConfig defaults() {
        return new CoreConfig(Duration.ofSeconds(10), 3, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofHours(25), Duration.ofSeconds(5));
    }

    public CoreConfig withStepTimeout(Duration d) {
        return new CoreConfig(d, interviewRetries, interviewBackoff, commandTimeout, mainsPingAfter,
                batteryUnavailableAfter, persistDebounce);
    }

    public CoreConfig withInterviewRetries(int n, Duration backoff) {
        return new CoreConfig(stepTimeout, n, backoff, commandTimeout, mainsPingAfter, batteryUnavailableAfter,
                persistDebounce);
    }
}
