package io.tetheritall.hub.radios.znp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The four things that make a Zigbee network: channel, PAN id, extended PAN id, network key.
 * Once generated they must never change, or every device must be paired again.
 *
 * @param channel       11..26
 * @param panId         1..0xFFFE
 * @param extendedPanId any value but 0 and all ones
 * @param networkKey    16 bytes; copied in and out
 */
public record NetworkParams(int channel, int panId, long extendedPanId, byte[] networkKey) {
    /** Channels a generated network picks from: the ZLL primaries, which avoid the busiest Wi-Fi overlap. */
    private static final int[] PREFERRED_CHANNELS = {11, 15, 20, 25};

    public NetworkParams {
        if (channel < 11 || channel > 26) {
            throw new IllegalArgumentException("channel must be 11..26, but was " + channel);
        }
        if (panId < 1 || panId > 0xFFFE) {
            throw new IllegalArgumentException("panId must be 1..0xFFFE, but was " + panId);
        }
        if (extendedPanId == 0 || extendedPanId == -1L) {
            throw new IllegalArgumentException("extendedPanId must not be 0 or all ones");
        }
        if (networkKey == null || networkKey.length != 16) {
            throw new IllegalArgumentException("networkKey must be 16 bytes");
        }
        networkKey = networkKey.clone();
    }

    @Override
    public byte[] networkKey() {
        return networkKey.clone();
    }

    /** A fresh random network. */
    public static NetworkParams generate(SecureRandom rnd) {
        int channel = PREFERRED_CHANNELS[rnd.nextInt(PREFERRED_CHANNELS.length)];
        int pan = 1 + rnd.nextInt(0xFFFE);
        long ext;
        do {
            ext = rnd.nextLong();
        } while (ext == 0 || ext == -1L);
        byte[] key = new byte[16];
        rnd.nextBytes(key);
        return new NetworkParams(channel, pan, ext, key);
    }

    /** CHANLIST value: bit n for channel n. */
    public long channelMask() {
        return 1L << channel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkParams p && p.channel == channel && p.panId == panId
                && p.extendedPanId == extendedPanId && Arrays.equals(p.networkKey, networkKey);
    }

    @Override
    public int hashCode() {
        return ((channel * 31 + panId) * 31 + Long.hashCode(extendedPanId)) * 31 + Arrays.hashCode(networkKey);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return String.format("NetworkParams[channel=%d, panId=0x%04X, extendedPanId=%s, key=<hidden>]", channel, panId,
                HexFormat.of().toHexDigits(extendedPanId));
    }
}
