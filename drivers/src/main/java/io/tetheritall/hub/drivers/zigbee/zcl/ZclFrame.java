package io.tetheritall.hub.drivers.zigbee.zcl;

import java.util.Arrays;
import java.util.Objects;

/**
 * A ZCL frame: header plus the command payload (still encoded; see {@link ZclGlobal} for the global
 * commands and the cluster converters for cluster-specific ones).
 *
 * @param header  the header
 * @param payload the command payload; not copied
 */
public record ZclFrame(ZclHeader header, byte[] payload) {
    public ZclFrame {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
    }

    /** Encodes header and payload. */
    public byte[] encode() {
        ZclWriter w = new ZclWriter();
        header.write(w);
        w.bytes(payload);
        return w.toByteArray();
    }

    /** Decodes a frame; fails with {@link ZclFormatException} if the header is truncated or reserved. */
    public static ZclFrame decode(byte[] bytes) {
        ZclReader r = new ZclReader(bytes);
        ZclHeader h = ZclHeader.read(r);
        return new ZclFrame(h, r.rest());
    }

    /** Whether this is a global (profile-wide) command rather than a cluster-specific one. */
    public boolean global() {
        return !header.clusterSpecific();
    }

    /** A reader over the payload. */
    public ZclReader reader() {
        return new ZclReader(payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZclFrame f && f.header.equals(header) && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ZclFrame[" + header + ", payload=" + ZclReader.hex(payload) + "]";
    }
}
