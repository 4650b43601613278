package io.tetheritall.hub.radios.znp;

/**
 * NV item ids the coordinator reads and writes (zigpy-znp {@code types/nvids.py}, herdsman
 * {@code constants/common.ts}; protocols.md §A4).
 */
public final class ZnpNv {
    /** u8: bit0 clear config, bit1 clear state (applied on the next reset). */
    public static final int STARTUP_OPTION = 0x0003;
    /** The network information base, a struct. */
    public static final int NIB = 0x0021;
    /** 8 bytes, the extended PAN id little-endian ("written byte-reversed"). */
    public static final int EXTENDED_PAN_ID = 0x002D;
    /** seq(1) + key(16). */
    public static final int NWK_ACTIVE_KEY_INFO = 0x003A;
    /** 8 bytes, little-endian. */
    public static final int APS_USE_EXT_PANID = 0x0047;
    /** herdsman's "configured" flag on Z-Stack 3: 0x55 once a network was formed. */
    public static final int HAS_CONFIGURED_ZSTACK3 = 0x0060;
    /** The same flag on Z-Stack 1.2. */
    public static final int HAS_CONFIGURED_ZSTACK1 = 0x0F00;
    /** The value of the configured flag. */
    public static final int CONFIGURED = 0x55;
    /** 16 bytes, the network key to use when forming. */
    public static final int PRECFGKEY = 0x0062;
    /** u8, whether the preconfigured key is distributed in the clear. */
    public static final int PRECFGKEYS_ENABLE = 0x0063;
    /** u16. */
    public static final int PANID = 0x0083;
    /** u32, bit n = channel n. */
    public static final int CHANLIST = 0x0084;
    /** u8: 0 coordinator, 1 router, 2 end device. */
    public static final int LOGICAL_TYPE = 0x0087;
    /** u8: 1 = send ZDO responses to the host as callbacks. */
    public static final int ZDO_DIRECT_CB = 0x008F;

    private ZnpNv() {
    }
}
