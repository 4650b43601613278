package io.tetheritall.hub.drivers.zigbee.zcl;

/**
 * A ZCL frame header (ZCL 2.4.1): frame control, optional manufacturer code, transaction sequence
 * number and command id.
 *
 * <pre>
 *   frame control: bits 0-1 frame type (0 global, 1 cluster-specific), bit 2 manufacturer specific,
 *                  bit 3 direction (1 = server to client), bit 4 disable default response
 *   [manufacturer code (2, little-endian) if bit 2]  TSN (1)  command id (1)
 * </pre>
 *
 * @param clusterSpecific        frame type 1 (cluster-specific) rather than 0 (global)
 * @param manufacturerCode       the manufacturer code, or -1 if the frame is not manufacturer-specific
 * @param serverToClient         direction bit: set for replies and reports from a device's server cluster
 * @param disableDefaultResponse ask the receiver not to send a default response on success
 * @param tsn                    transaction sequence number 0..255
 * @param commandId              command id 0..255
 */
public record ZclHeader(boolean clusterSpecific, int manufacturerCode, boolean serverToClient,
                        boolean disableDefaultResponse, int tsn, int commandId) {

    public ZclHeader {
        if (tsn < 0 || tsn > 0xFF || commandId < 0 || commandId > 0xFF) {
            throw new IllegalArgumentException("tsn and commandId must be 0..255, but were " + tsn + "/" + commandId);
        }
        if (manufacturerCode < -1 || manufacturerCode > 0xFFFF) {
            throw new IllegalArgumentException("manufacturerCode must be -1 or 0..0xFFFF, but was " + manufacturerCode);
        }
    }

    /** A header for a command from us (client) to a device's server cluster. */
    public static ZclHeader toServer(boolean clusterSpecific, int tsn, int commandId, boolean disableDefaultResponse) {
        return new ZclHeader(clusterSpecific, -1, false, disableDefaultResponse, tsn, commandId);
    }

    public boolean manufacturerSpecific() {
        return manufacturerCode >= 0;
    }

    /** The frame-control byte. */
    public int frameControl() {
        return (clusterSpecific ? 0x01 : 0x00) | (manufacturerSpecific() ? 0x04 : 0) | (serverToClient ? 0x08 : 0)
                | (disableDefaultResponse ? 0x10 : 0);
    }

    /** Header length on the wire: 3, or 5 with a manufacturer code. */
    public int length() {
        return manufacturerSpecific() ? 5 : 3;
    }

    void write(ZclWriter w) {
        w.u8(frameControl());
        if (manufacturerSpecific()) {
            w.u16(manufacturerCode);
        }
        w.u8(tsn).u8(commandId);
    }

    static ZclHeader read(ZclReader r) {
        int fc = r.u8();
        int frameType = fc & 0x03;
        if (frameType > 1) {
            // ZCL 2.4.1.1.1: frame types 0b10 and 0b11 are reserved
            throw new ZclFormatException("malformed", String.format("reserved ZCL frame type in fc 0x%02x", fc));
        }
        int manuf = (fc & 0x04) != 0 ? r.u16() : -1;
        int tsn = r.u8();
        int cmd = r.u8();
        return new ZclHeader(frameType == 1, manuf, (fc & 0x08) != 0, (fc & 0x10) != 0, tsn, cmd);
    }
}
