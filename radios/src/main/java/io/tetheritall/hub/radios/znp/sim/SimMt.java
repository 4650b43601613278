package io.tetheritall.hub.radios.znp.sim;

/**
 * MT constants the simulator's parts share: the stick's identity, subsystem ids, NV item ids, device
 * states and status codes (values as Z-Stack 3.x.0 and zigpy-znp / herdsman name them).
 */
final class SimMt {
    // identity: SYS_VERSION {TransportRev 2, Product 1 (Z-Stack 3.x.0), 2.7.1, revision 20230507}
    static final int TRANSPORT_REV = 2, PRODUCT = 1, MAJOR = 2, MINOR = 7, MAINT = 1, HW_REV = 1;
    static final long REVISION = 20230507L;
    /** SYS_PING capabilities of a CC2652 Z-Stack 3.x.0 build: SYS|AF|ZDO|SAPI|UTIL|APP|APP_CNF (zigpy-znp logs 2425). */
    static final int CAPABILITIES = 0x0979;

    // subsystems
    static final int SYS = 0x01, MAC = 0x02, NWK = 0x03, AF = 0x04, ZDO = 0x05, SAPI = 0x06, UTIL = 0x07,
            DBG = 0x08, APP = 0x09, APP_CNF = 0x0F, GP = 0x15;

    // NV ids (zigpy-znp types/nvids.py, herdsman constants/common.ts)
    static final int NV_STARTUP_OPTION = 0x0003, NV_NIB = 0x0021, NV_EXTENDED_PAN_ID = 0x002D,
            NV_ACTIVE_KEY_INFO = 0x003A, NV_ALTERN_KEY_INFO = 0x003B, NV_APS_USE_EXT_PANID = 0x0047,
            NV_HAS_CONFIGURED = 0x0060, NV_PRECFGKEY = 0x0062, NV_PRECFGKEYS_ENABLE = 0x0063, NV_NWKKEY = 0x0082,
            NV_PANID = 0x0083, NV_CHANLIST = 0x0084, NV_LOGICAL_TYPE = 0x0087, NV_ZDO_DIRECT_CB = 0x008F,
            NV_TCLK_SEED = 0x0101;
    /** Z-Stack's default pre-configured network key (ZDAPP_CONFIG_PRECFGKEY). */
    static final byte[] DEFAULT_KEY = {1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13};
    static final int NIB_LEN = 116;

    // device states (ZDO_STATE_CHANGE_IND)
    static final int DEV_HOLD = 0, DEV_COORD_STARTING = 8, DEV_ZB_COORD = 9;

    // statuses
    static final int ST_SUCCESS = 0x00, ST_FAILURE = 0x01, ST_INVALID_PARAMETER = 0x02, ST_NV_ITEM_UNINIT = 0x09,
            ST_NV_OPER_FAILED = 0x0A, ST_BUFFER_FULL = 0x11, ST_APS_DUPLICATE = 0xB8, ST_NWK_INVALID_REQUEST = 0xC2,
            ST_NWK_TABLE_FULL = 0xC7, ST_MAC_NO_ACK = 0xE9, ST_MAC_TRANSACTION_EXPIRED = 0xF0,
            ST_MAC_TRANSACTION_OVERFLOW = 0xF1;

    private SimMt() {
    }
}
