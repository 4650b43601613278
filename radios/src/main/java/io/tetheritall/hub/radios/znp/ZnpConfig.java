package io.tetheritall.hub.radios.znp;

import java.time.Duration;
import java.util.Objects;

/**
 * How one ZNP coordinator is set up. Immutable. The network fields are optional (null): what is not
 * configured comes from the {@link NetworkParamsStore} (generated once, or adopted from the stick).
 *
 * @param radioId         id for logs, metrics and thread names, e.g. {@code zigbee0}
 * @param channel         11..26, or null
 * @param panId           1..0xFFFE, or null
 * @param extendedPanId   or null
 * @param networkKey      16 bytes, or null
 * @param sreqTimeout     SRSP wait (herdsman 6 s, zigpy-znp 15 s; default 6 s)
 * @param areqTimeout     wait for ZDO callbacks from devices (default 10 s, herdsman's waitFor default)
 * @param confirmTimeout  wait for AF_DATA_CONFIRM (default 8 s, as zigpy-znp)
 * @param startupTimeout  wait for STATE_CHANGE_IND 9 after commissioning or STARTUP_FROM_APP (default 40 s)
 * @param resetTimeout    wait for SYS_RESET_IND after SYS_RESET_REQ (default 30 s)
 * @param sweepPeriod     how often deadlines are checked (default 50 ms); zero disables the sweeper
 */
public record ZnpConfig(String radioId, Integer channel, Integer panId, Long extendedPanId, byte[] networkKey,
                        Duration sreqTimeout, Duration areqTimeout, Duration confirmTimeout,
                        Duration startupTimeout, Duration resetTimeout, Duration sweepPeriod) {

    public ZnpConfig {
        Objects.requireNonNull(radioId, "radioId");
        if (channel != null && (channel < 11 || channel > 26)) {
            throw new IllegalArgumentException("channel must be 11..26, but was " + channel);
        }
        if (panId != null && (panId < 1 || panId > 0xFFFE)) {
            throw new IllegalArgumentException("panId must be 1..0xFFFE, but was " + panId);
        }
        if (networkKey != null) {
            if (networkKey.length != 16) {
                throw new IllegalArgumentException("networkKey must be 16 bytes, but was " + networkKey.length);
            }
            networkKey = networkKey.clone();
        }
        Objects.requireNonNull(sreqTimeout, "sreqTimeout");
        Objects.requireNonNull(areqTimeout, "areqTimeout");
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(resetTimeout, "resetTimeout");
        Objects.requireNonNull(sweepPeriod, "sweepPeriod");
    }

    /** Defaults for {@code radioId}, with no network fields configured. */
    public static ZnpConfig defaults(String radioId) {
        return new ZnpConfig(radioId, null, null, null, null, Duration.ofSeconds(6), Duration.ofSeconds(10),
                Duration.ofSeconds(8), Duration.ofSeconds(40), Duration.ofSeconds(30), Duration.ofMillis(50));
    }

    @Override
    public byte[] networkKey() {
        return networkKey == null ? null : networkKey.clone();
    }

    public ZnpConfig withNetwork(Integer ch, Integer pan, Long extPan, byte[] key) {
        return new ZnpConfig(radioId, ch, pan, extPan, key, sreqTimeout, areqTimeout, confirmTimeout,
                startupTimeout, resetTimeout, sweepPeriod);
    }

    public ZnpConfig withTimeouts(Duration sreq, Duration areq, Duration confirm) {
        return new ZnpConfig(radioId, channel, panId, extendedPanId, networkKey, sreq, areq, confirm,
                startupTimeout, resetTimeout, sweepPeriod);
    }

    public ZnpConfig withSweepPeriod(Duration period) {
        return new ZnpConfig(radioId, channel, panId, extendedPanId, networkKey, sreqTimeout, areqTimeout,
                confirmTimeout, startupTimeout, resetTimeout, period);
    }

    /** The network to run: configured fields win over {@code base}. */
    NetworkParams overlay(NetworkParams base) {
        return new NetworkParams(channel != null ? channel : base.channel(), panId != null ? panId : base.panId(),
                extendedPanId != null ? extendedPanId : base.extendedPanId(),
                networkKey != null ? networkKey : base.networkKey());
    }

    /** Whether every network field is configured. */
    boolean fullyConfigured() {
        return channel != null && panId != null && extendedPanId != null && networkKey != null;
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ZnpConfig[" + radioId + ", channel=" + channel + ", panId=" + panId + ", extPan=" + extendedPanId
                + ", key=" + (networkKey == null ? "null" : "<hidden>") + ", sreq=" + sreqTimeout + ", areq="
                + areqTimeout + ", confirm=" + confirmTimeout + ", startup=" + startupTimeout + ", reset=" + resetTimeout
                + ", sweep=" + sweepPeriod + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZnpConfig c && c.toString().equals(toString())
                && java.util.Arrays.equals(c.networkKey, networkKey);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
