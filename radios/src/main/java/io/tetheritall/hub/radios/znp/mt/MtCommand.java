package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;

import java.util.HashMap;
import java.util.Map;

/**
 * The MT commands the hub uses, as a data table: frame type, subsystem and command id, exactly as
 * printed in TI SWRA198 and cross-checked against zigbee-herdsman {@code znp/definition.ts} and
 * zigpy-znp {@code commands/*.py}. Payload layouts live with the code that builds or parses them
 * (see {@code ZnpCoordinator}); this table only names the header bytes.
 *
 * <p>Callbacks (AREQ from the stick) carry the same subsystem with the response id, e.g.
 * ZDO_NODE_DESC_REQ {@code 25 02} is answered by SRSP {@code 65 02} and, later, AREQ {@code 45 82}.
 */
public enum MtCommand {
    // SYS (subsystem 1)
    SYS_RESET_REQ(UnpiFrame.AREQ, Subsystem.SYS, 0x00),
    SYS_PING(UnpiFrame.SREQ, Subsystem.SYS, 0x01),
    SYS_VERSION(UnpiFrame.SREQ, Subsystem.SYS, 0x02),
    SYS_OSAL_NV_ITEM_INIT(UnpiFrame.SREQ, Subsystem.SYS, 0x07),
    SYS_OSAL_NV_READ(UnpiFrame.SREQ, Subsystem.SYS, 0x08),
    SYS_OSAL_NV_WRITE(UnpiFrame.SREQ, Subsystem.SYS, 0x09),
    SYS_OSAL_NV_DELETE(UnpiFrame.SREQ, Subsystem.SYS, 0x12),
    SYS_OSAL_NV_LENGTH(UnpiFrame.SREQ, Subsystem.SYS, 0x13),
    SYS_OSAL_NV_READ_EXT(UnpiFrame.SREQ, Subsystem.SYS, 0x1C),
    SYS_OSAL_NV_WRITE_EXT(UnpiFrame.SREQ, Subsystem.SYS, 0x1D),
    SYS_RESET_IND(UnpiFrame.AREQ, Subsystem.SYS, 0x80),

    // AF (subsystem 4)
    AF_REGISTER(UnpiFrame.SREQ, Subsystem.AF, 0x00),
    AF_DATA_REQUEST(UnpiFrame.SREQ, Subsystem.AF, 0x01),
    AF_DATA_REQUEST_EXT(UnpiFrame.SREQ, Subsystem.AF, 0x02),
    AF_DATA_CONFIRM(UnpiFrame.AREQ, Subsystem.AF, 0x80),
    AF_INCOMING_MSG(UnpiFrame.AREQ, Subsystem.AF, 0x81),

    // ZDO (subsystem 5)
    ZDO_NODE_DESC_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x02),
    ZDO_SIMPLE_DESC_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x04),
    ZDO_ACTIVE_EP_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x05),
    ZDO_BIND_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x21),
    ZDO_MGMT_LEAVE_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x34),
    ZDO_MGMT_PERMIT_JOIN_REQ(UnpiFrame.SREQ, Subsystem.ZDO, 0x36),
    ZDO_STARTUP_FROM_APP(UnpiFrame.SREQ, Subsystem.ZDO, 0x40),
    ZDO_NODE_DESC_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0x82),
    ZDO_SIMPLE_DESC_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0x84),
    ZDO_ACTIVE_EP_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0x85),
    ZDO_BIND_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0xA1),
    ZDO_MGMT_LEAVE_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0xB4),
    ZDO_MGMT_PERMIT_JOIN_RSP(UnpiFrame.AREQ, Subsystem.ZDO, 0xB6),
    ZDO_STATE_CHANGE_IND(UnpiFrame.AREQ, Subsystem.ZDO, 0xC0),
    ZDO_END_DEVICE_ANNCE_IND(UnpiFrame.AREQ, Subsystem.ZDO, 0xC1),
    ZDO_LEAVE_IND(UnpiFrame.AREQ, Subsystem.ZDO, 0xC9),
    ZDO_TC_DEV_IND(UnpiFrame.AREQ, Subsystem.ZDO, 0xCA),

    // UTIL (subsystem 7)
    UTIL_GET_DEVICE_INFO(UnpiFrame.SREQ, Subsystem.UTIL, 0x00),

    // APP_CNF (subsystem 0x0F): BDB commissioning, Z-Stack 3 only
    APP_CNF_BDB_START_COMMISSIONING(UnpiFrame.SREQ, Subsystem.APP_CNF, 0x05),
    APP_CNF_BDB_SET_CHANNEL(UnpiFrame.SREQ, Subsystem.APP_CNF, 0x08),

    // RPC error: "60 00 [err, reqCMD0, reqCMD1]" (MT p.19)
    RPC_ERROR(UnpiFrame.SRSP, Subsystem.RPC_ERROR, 0x00);

    /** MT subsystem numbers (low five bits of CMD0). */
    public static final class Subsystem {
        public static final int RPC_ERROR = 0x00;
        public static final int SYS = 0x01;
        public static final int MAC = 0x02;
        public static final int NWK = 0x03;
        public static final int AF = 0x04;
        public static final int ZDO = 0x05;
        public static final int SAPI = 0x06;
        public static final int UTIL = 0x07;
        public static final int DBG = 0x08;
        public static final int APP = 0x09;
        public static final int APP_CNF = 0x0F;
        public static final int GP = 0x15;

        private Subsystem() {
        }
    }

    private static final Map<Integer, MtCommand> BY_KEY = new HashMap<>();

    static {
        for (MtCommand c : values()) {
            BY_KEY.put(key(c.type, c.subsystem, c.id), c);
        }
    }

    private final int type;
    private final int subsystem;
    private final int id;

    MtCommand(int type, int subsystem, int id) {
        this.type = type;
        this.subsystem = subsystem;
        this.id = id;
    }

    public int type() {
        return type;
    }

    public int subsystem() {
        return subsystem;
    }

    public int id() {
        return id;
    }

    /** {@code type << 5 | subsystem}, the first command byte on the wire. */
    public int cmd0() {
        return (type << 5) | subsystem;
    }

    /** A frame of this command with {@code data} as payload. */
    public UnpiFrame frame(byte... data) {
        return new UnpiFrame(type, subsystem, id, data);
    }

    /** Whether {@code f} is this command (type, subsystem and id). */
    public boolean matches(UnpiFrame f) {
        return f.type() == type && f.subsystem() == subsystem && f.command() == id;
    }

    /** The catalogue entry for a frame header, or null for commands the hub does not use. */
    public static MtCommand lookup(int type, int subsystem, int id) {
        return BY_KEY.get(key(type, subsystem, id));
    }

    /** A short name for logs: the command name, or the raw header bytes. */
    public static String describe(UnpiFrame f) {
        MtCommand c = lookup(f.type(), f.subsystem(), f.command());
        if (c == null && f.type() == UnpiFrame.SRSP) {
            c = lookup(UnpiFrame.SREQ, f.subsystem(), f.command());
            return c == null ? f.toString() : c.name() + "/SRSP " + f;
        }
        return c == null ? f.toString() : c.name() + " " + f;
    }

    private static int key(int type, int subsystem, int id) {
        return (type << 16) | (subsystem << 8) | id;
    }
}
