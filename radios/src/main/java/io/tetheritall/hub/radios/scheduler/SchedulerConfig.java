package io.tetheritall.hub.radios.scheduler;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The traffic policy of one radio. Immutable; build with {@link #builder()}, read from settings with
 * {@link #fromMap(Map, List)}. A config can be broken (a zero rate, a window whose minimum exceeds its
 * maximum): {@link #problems()} lists what is wrong and {@link #sanitized()} replaces each broken value
 * with its safe default and logs it, which is what {@link ScheduledRadio} does, so a typo in a setting
 * degrades the hub to the defaults instead of stopping it.
 *
 * <p>Defaults come from the facts in the protocol notes: an in-flight window of 16 for Z-Stack 3.x and
 * 2 for older firmware (the herdsman and zigpy-znp choices), one broadcast per 1.1 s with a burst of 8
 * and at most 8 in any 9 s (Silabs: "about 8 broadcasts in any 9-second window"; Z-Stack MAX_BCAST 9),
 * the origin document's per-client limits ({@code RATE_LIMIT_PER_SECOND=2.0},
 * {@code RATE_LIMIT_BURST_SIZE=10}) and breaker settings ({@code CIRCUIT_BREAKER_FAILURE_THRESHOLD=5},
 * {@code CIRCUIT_BREAKER_RECOVERY_TIMEOUT=60}, {@code CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS=3}), and
 * retries close to zigpy-znp's (5 attempts) but starting faster, because a BUFFER_FULL here means our
 * window was one too large, not that the radio is sick. The unicast bucket defaults to 1000/s with a burst
 * of 50: a fuse against a runaway automation, deliberately above what a coordinator can do, because the
 * adaptive window is what tracks the radio's real capacity (neither herdsman nor zigpy rate-limits
 * unicasts); lower it for a radio that shares its channel with busy Wi-Fi.
 *
 * @param windowInitial            initial in-flight window; 0 = derive from the firmware string
 * @param windowMin                the window never shrinks below this
 * @param windowMax                nor grows above this
 * @param windowGrowAfter          consecutive successes before the window grows by one
 * @param unicastRate              unicast sends per second, sustained
 * @param unicastBurst             unicast burst
 * @param broadcastRate            group/broadcast sends per second, sustained
 * @param broadcastBurst           group/broadcast burst
 * @param broadcastWindowMax       at most this many group/broadcast sends ...
 * @param broadcastWindow          ... in any window of this length
 * @param clientRate               per-client (MQTT client id, CoAP peer) requests per second
 * @param clientBurst              per-client burst
 * @param maxClients               client buckets remembered (idle, full ones are forgotten first)
 * @param queuePerDevice           queued requests per device (or per group/broadcast address)
 * @param queueTotal               queued requests per radio
 * @param retryBase                first backoff after a transient status
 * @param retryMax                 backoff cap (doubling from {@code retryBase})
 * @param retryAttempts            attempts in total, the first one included
 * @param unreachableAfter         consecutive no-acks after which a device is known unreachable
 * @param unreachableProbeInterval while known unreachable, one request per interval goes through as a probe
 * @param breakerFailureThreshold  consecutive radio-level failures (timeouts, link loss) that open the breaker
 * @param breakerRecoveryTimeout   how long the breaker stays open before trial calls
 * @param breakerHalfOpenMaxCalls  trial calls in half-open state
 */
public record SchedulerConfig(int windowInitial, int windowMin, int windowMax, int windowGrowAfter,
                              double unicastRate, int unicastBurst,
                              double broadcastRate, int broadcastBurst, int broadcastWindowMax, Duration broadcastWindow,
                              double clientRate, int clientBurst, int maxClients,
                              int queuePerDevice, int queueTotal,
                              Duration retryBase, Duration retryMax, int retryAttempts,
                              int unreachableAfter, Duration unreachableProbeInterval,
                              int breakerFailureThreshold, Duration breakerRecoveryTimeout, int breakerHalfOpenMaxCalls) {

    private static final SchedulerConfig DEFAULTS = new SchedulerConfig(0, 1, 16, 32,
            1000.0, 50,
            1 / 1.1, 8, 8, Duration.ofSeconds(9),
            2.0, 10, 1024,
            16, 1024,
            Duration.ofMillis(50), Duration.ofSeconds(2), 5,
            2, Duration.ofSeconds(30),
            5, Duration.ofSeconds(60), 3);

    /** The defaults described above. */
    public static SchedulerConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The in-flight window for a firmware: 16 for Z-Stack 3.x (CC26xx/CC13xx), 2 for anything older or
     * unknown (the CC2531's Z-Stack Home 1.2 runs out of buffers beyond that).
     */
    public static int windowForFirmware(String firmware) {
        if (firmware != null && firmware.toLowerCase(Locale.ROOT).matches(".*z-?stack\\s*3.*")) {
            return 16;
        }
        return 2;
    }

    /** Every broken value, as "field=value: why" lines; empty when the config is sound. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        check(this, DEFAULTS, p);
        return Collections.unmodifiableList(p);
    }

    /** This config with every broken value replaced by its default; logs each replacement. */
    public SchedulerConfig sanitized() {
        List<String> p = new ArrayList<>();
        SchedulerConfig fixed = check(this, DEFAULTS, p);
        for (String line : p) {
            Logger.warn("radio scheduler config: {}; using the default", line);
        }
        return fixed;
    }

    /**
     * Reads a config from settings (environment-style keys, see {@link Builder} setter names in upper
     * snake case, plus the origin document's {@code CIRCUIT_BREAKER_*} and {@code RATE_LIMIT_*} names).
     * A value that does not parse keeps the default and adds a line to {@code warnings}.
     */
    public static SchedulerConfig fromMap(Map<String, String> settings, List<String> warnings) {
        Builder b = builder();
        b.windowInitial = intOf(settings, "RADIO_WINDOW_INITIAL", b.windowInitial, warnings);
        b.windowMin = intOf(settings, "RADIO_WINDOW_MIN", b.windowMin, warnings);
        b.windowMax = intOf(settings, "RADIO_WINDOW_MAX", b.windowMax, warnings);
        b.unicastRate = doubleOf(settings, "RADIO_UNICAST_RATE", b.unicastRate, warnings);
        b.unicastBurst = intOf(settings, "RADIO_UNICAST_BURST", b.unicastBurst, warnings);
        b.broadcastRate = doubleOf(settings, "RADIO_BROADCAST_RATE", b.broadcastRate, warnings);
        b.broadcastBurst = intOf(settings, "RADIO_BROADCAST_BURST", b.broadcastBurst, warnings);
        b.clientRate = doubleOf(settings, "RATE_LIMIT_PER_SECOND", b.clientRate, warnings);
        b.clientBurst = intOf(settings, "RATE_LIMIT_BURST_SIZE", b.clientBurst, warnings);
        b.queuePerDevice = intOf(settings, "RADIO_QUEUE_PER_DEVICE", b.queuePerDevice, warnings);
        b.queueTotal = intOf(settings, "RADIO_QUEUE_TOTAL", b.queueTotal, warnings);
        b.retryAttempts = intOf(settings, "RADIO_RETRY_ATTEMPTS", b.retryAttempts, warnings);
        b.breakerFailureThreshold = intOf(settings, "CIRCUIT_BREAKER_FAILURE_THRESHOLD", b.breakerFailureThreshold, warnings);
        b.breakerRecoveryTimeout = Duration.ofSeconds(intOf(settings, "CIRCUIT_BREAKER_RECOVERY_TIMEOUT",
                (int) b.breakerRecoveryTimeout.toSeconds(), warnings));
        b.breakerHalfOpenMaxCalls = intOf(settings, "CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS", b.breakerHalfOpenMaxCalls, warnings);
        return b.build();
    }

    private static int intOf(Map<String, String> s, String key, int dflt, List<String> warnings) {
        String v = s.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            warnings.add(key + "=" + v + ": not an integer");
            Logger.warn("radio scheduler setting {}={} is not an integer; using the default {}", key, v, dflt);
            return dflt;
        }
    }

    private static double doubleOf(Map<String, String> s, String key, double dflt, List<String> warnings) {
        String v = s.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            warnings.add(key + "=" + v + ": not a number");
            Logger.warn("radio scheduler setting {}={} is not a number; using the default {}", key, v, dflt);
            return dflt;
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static boolean rate(double r) {
        return r > 0 && Double.isFinite(r);
    }

    private static SchedulerConfig check(SchedulerConfig c, SchedulerConfig d, List<String> p) {
        Builder b = new Builder(c);
        if (c.windowMin < 1 || c.windowMin > 255) {
            p.add("windowMin=" + c.windowMin + ": must be 1..255");
            b.windowMin = d.windowMin;
        }
        if (c.windowMax < b.windowMin || c.windowMax > 255) {
            p.add("windowMax=" + c.windowMax + ": must be windowMin.." + 255);
            b.windowMax = Math.max(d.windowMax, b.windowMin);
        }
        if (c.windowInitial != 0 && (c.windowInitial < b.windowMin || c.windowInitial > b.windowMax)) {
            p.add("windowInitial=" + c.windowInitial + ": must be 0 (from firmware) or windowMin..windowMax");
            b.windowInitial = d.windowInitial;
        }
        if (c.windowGrowAfter < 1) {
            p.add("windowGrowAfter=" + c.windowGrowAfter + ": must be >= 1");
            b.windowGrowAfter = d.windowGrowAfter;
        }
        if (!rate(c.unicastRate)) {
            p.add("unicastRate=" + c.unicastRate + ": must be > 0");
            b.unicastRate = d.unicastRate;
        }
        if (c.unicastBurst < 1) {
            p.add("unicastBurst=" + c.unicastBurst + ": must be >= 1");
            b.unicastBurst = d.unicastBurst;
        }
        if (!rate(c.broadcastRate)) {
            p.add("broadcastRate=" + c.broadcastRate + ": must be > 0");
            b.broadcastRate = d.broadcastRate;
        }
        if (c.broadcastBurst < 1) {
            p.add("broadcastBurst=" + c.broadcastBurst + ": must be >= 1");
            b.broadcastBurst = d.broadcastBurst;
        }
        if (c.broadcastWindowMax < 1) {
            p.add("broadcastWindowMax=" + c.broadcastWindowMax + ": must be >= 1");
            b.broadcastWindowMax = d.broadcastWindowMax;
        }
        if (!positive(c.broadcastWindow)) {
            p.add("broadcastWindow=" + c.broadcastWindow + ": must be positive");
            b.broadcastWindow = d.broadcastWindow;
        }
        if (!rate(c.clientRate)) {
            p.add("clientRate=" + c.clientRate + ": must be > 0");
            b.clientRate = d.clientRate;
        }
        if (c.clientBurst < 1) {
            p.add("clientBurst=" + c.clientBurst + ": must be >= 1");
            b.clientBurst = d.clientBurst;
        }
        if (c.maxClients < 1) {
            p.add("maxClients=" + c.maxClients + ": must be >= 1");
            b.maxClients = d.maxClients;
        }
        if (c.queuePerDevice < 1) {
            p.add("queuePerDevice=" + c.queuePerDevice + ": must be >= 1");
            b.queuePerDevice = d.queuePerDevice;
        }
        if (c.queueTotal < b.queuePerDevice) {
            p.add("queueTotal=" + c.queueTotal + ": must be >= queuePerDevice");
            b.queueTotal = Math.max(d.queueTotal, b.queuePerDevice);
        }
        if (!positive(c.retryBase)) {
            p.add("retryBase=" + c.retryBase + ": must be positive");
            b.retryBase = d.retryBase;
        }
        if (!positive(c.retryMax) || c.retryMax.compareTo(b.retryBase) < 0) {
            p.add("retryMax=" + c.retryMax + ": must be >= retryBase");
            b.retryMax = d.retryMax.compareTo(b.retryBase) < 0 ? b.retryBase : d.retryMax;
        }
        if (c.retryAttempts < 1 || c.retryAttempts > 100) {
            p.add("retryAttempts=" + c.retryAttempts + ": must be 1..100");
            b.retryAttempts = d.retryAttempts;
        }
        if (c.unreachableAfter < 1) {
            p.add("unreachableAfter=" + c.unreachableAfter + ": must be >= 1");
            b.unreachableAfter = d.unreachableAfter;
        }
        if (!positive(c.unreachableProbeInterval)) {
            p.add("unreachableProbeInterval=" + c.unreachableProbeInterval + ": must be positive");
            b.unreachableProbeInterval = d.unreachableProbeInterval;
        }
        if (c.breakerFailureThreshold < 1 || c.breakerFailureThreshold > 1000) {
            p.add("breakerFailureThreshold=" + c.breakerFailureThreshold + ": must be 1..1000");
            b.breakerFailureThreshold = d.breakerFailureThreshold;
        }
        if (!positive(c.breakerRecoveryTimeout)) {
            p.add("breakerRecoveryTimeout=" + c.breakerRecoveryTimeout + ": must be positive");
            b.breakerRecoveryTimeout = d.breakerRecoveryTimeout;
        }
        if (c.breakerHalfOpenMaxCalls < 1) {
            p.add("breakerHalfOpenMaxCalls=" + c.breakerHalfOpenMaxCalls + ": must be >= 1");
            b.breakerHalfOpenMaxCalls = d.breakerHalfOpenMaxCalls;
        }
        return b.build();
    }

    /** A mutable builder; {@link #build()} does not validate (see {@link #problems()}). */
    public static final class Builder {
        public int windowInitial;
        public int windowMin;
        public int windowMax;
        public int windowGrowAfter;
        public double unicastRate;
        public int unicastBurst;
        public double broadcastRate;
        public int broadcastBurst;
        public int broadcastWindowMax;
        public Duration broadcastWindow;
        public double clientRate;
        public int clientBurst;
        public int maxClients;
        public int queuePerDevice;
        public int queueTotal;
        public Duration retryBase;
        public Duration retryMax;
        public int retryAttempts;
        public int unreachableAfter;
        public Duration unreachableProbeInterval;
        public int breakerFailureThreshold;
        public Duration breakerRecoveryTimeout;
        public int breakerHalfOpenMaxCalls;

        private Builder(SchedulerConfig c) {
            windowInitial = c.windowInitial;
            windowMin = c.windowMin;
            windowMax = c.windowMax;
            windowGrowAfter = c.windowGrowAfter;
            unicastRate = c.unicastRate;
            unicastBurst = c.unicastBurst;
            broadcastRate = c.broadcastRate;
            broadcastBurst = c.broadcastBurst;
            broadcastWindowMax = c.broadcastWindowMax;
            broadcastWindow = c.broadcastWindow;
            clientRate = c.clientRate;
            clientBurst = c.clientBurst;
            maxClients = c.maxClients;
            queuePerDevice = c.queuePerDevice;
            queueTotal = c.queueTotal;
            retryBase = c.retryBase;
            retryMax = c.retryMax;
            retryAttempts = c.retryAttempts;
            unreachableAfter = c.unreachableAfter;
            unreachableProbeInterval = c.unreachableProbeInterval;
            breakerFailureThreshold = c.breakerFailureThreshold;
            breakerRecoveryTimeout = c.breakerRecoveryTimeout;
            breakerHalfOpenMaxCalls = c.breakerHalfOpenMaxCalls;
        }

        public Builder window(int initial, int min, int max) {
            windowInitial = initial;
            windowMin = min;
            windowMax = max;
            return this;
        }

        public Builder windowGrowAfter(int successes) {
            windowGrowAfter = successes;
            return this;
        }

        public Builder unicast(double perSecond, int burst) {
            unicastRate = perSecond;
            unicastBurst = burst;
            return this;
        }

        public Builder broadcast(double perSecond, int burst, int windowMax, Duration window) {
            broadcastRate = perSecond;
            broadcastBurst = burst;
            broadcastWindowMax = windowMax;
            broadcastWindow = window;
            return this;
        }

        public Builder perClient(double perSecond, int burst, int maxClientsRemembered) {
            clientRate = perSecond;
            clientBurst = burst;
            maxClients = maxClientsRemembered;
            return this;
        }

        public Builder queues(int perDevice, int total) {
            queuePerDevice = perDevice;
            queueTotal = total;
            return this;
        }

        public Builder retry(Duration base, Duration max, int attempts) {
            retryBase = base;
            retryMax = max;
            retryAttempts = attempts;
            return this;
        }

        public Builder unreachable(int after, Duration probeInterval) {
            unreachableAfter = after;
            unreachableProbeInterval = probeInterval;
            return this;
        }

        public Builder breaker(int failureThreshold, Duration recoveryTimeout, int halfOpenMaxCalls) {
            breakerFailureThreshold = failureThreshold;
            breakerRecoveryTimeout = recoveryTimeout;
            breakerHalfOpenMaxCalls = halfOpenMaxCalls;
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(windowInitial, windowMin, windowMax, windowGrowAfter, unicastRate, unicastBurst,
                    broadcastRate, broadcastBurst, broadcastWindowMax, broadcastWindow, clientRate, clientBurst, maxClients,
                    queuePerDevice, queueTotal, retryBase, retryMax, retryAttempts, unreachableAfter,
                    unreachableProbeInterval, breakerFailureThreshold, breakerRecoveryTimeout, breakerHalfOpenMaxCalls);
        }
    }
}
