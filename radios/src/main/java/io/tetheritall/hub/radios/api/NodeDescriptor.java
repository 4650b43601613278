package io.tetheritall.hub.radios.api;

/**
 * The parts of a ZDO node descriptor the hub uses.
 *
 * @param nwk              the device's network address
 * @param logicalType      0 coordinator, 1 router, 2 end device
 * @param manufacturerCode the Zigbee manufacturer code
 * @param macCapabilities  bit 1 router capable, bit 2 mains powered, bit 3 receiver on when idle
 */
public record NodeDescriptor(int nwk, int logicalType, int manufacturerCode, int macCapabilities) {
    public boolean mainsPowered() {
        return (macCapabilities & 0x04) != 0;
    }

    public boolean rxOnWhenIdle() {
        return (macCapabilities & 0x08) != 0;
    }

    public boolean router() {
        return logicalType == 1;
    }
}
