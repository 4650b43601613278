package io.tetheritall.hub.radios.znp.sim;

import java.nio.charset.StandardCharsets;

/**
 * The simulator's own small ZCL codec (ZCL r7/r8 §2.4-2.6), deliberately not shared with the
 * hub's drivers so that one codec bug cannot hide on both sides of a test.
 */
final class SimZcl {
    private SimZcl() {
    }

    // frame control bits (ZCL §2.4.1.1)
    static final int FC_CLUSTER_SPECIFIC = 0x01;
    static final int FC_MANUF = 0x04;
    static final int FC_SERVER_TO_CLIENT = 0x08;
    static final int FC_DISABLE_DEFAULT_RSP = 0x10;

    // global commands
    static final int READ = 0x00, READ_RSP = 0x01, WRITE = 0x02, WRITE_UNDIVIDED = 0x03, WRITE_RSP = 0x04,
            WRITE_NO_RSP = 0x05, CONFIG_REPORT = 0x06, CONFIG_REPORT_RSP = 0x07, READ_REPORT_CFG = 0x08,
            READ_REPORT_CFG_RSP = 0x09, REPORT = 0x0A, DEFAULT_RSP = 0x0B, DISCOVER_ATTRS = 0x0C,
            DISCOVER_ATTRS_RSP = 0x0D;

    // statuses (ZCL §2.6.3)
    static final int SUCCESS = 0x00, FAILURE = 0x01, MALFORMED = 0x80, UNSUP_CLUSTER_COMMAND = 0x81,
            UNSUP_GENERAL_COMMAND = 0x82, UNSUP_MANUF_CLUSTER_COMMAND = 0x83, UNSUP_MANUF_GENERAL_COMMAND = 0x84,
            INVALID_FIELD = 0x85, UNSUPPORTED_ATTRIBUTE = 0x86, INVALID_VALUE = 0x87, READ_ONLY = 0x88,
            INSUFFICIENT_SPACE = 0x89, DUPLICATE_EXISTS = 0x8A, NOT_FOUND = 0x8B, UNREPORTABLE_ATTRIBUTE = 0x8C,
            INVALID_DATA_TYPE = 0x8D, UNSUPPORTED_CLUSTER = 0xC3;

    // data types (ZCL §2.6.2)
    static final int BOOL = 0x10, MAP8 = 0x18, MAP16 = 0x19, MAP32 = 0x1B, U8 = 0x20, U16 = 0x21, U24 = 0x22,
            U32 = 0x23, U48 = 0x25, S8 = 0x28, S16 = 0x29, S32 = 0x2B, ENUM8 = 0x30, ENUM16 = 0x31,
            OCTSTR = 0x41, CHARSTR = 0x42, EUI64 = 0xF0;

    /** A parsed ZCL header; {@code payloadOffset} is where the command payload starts. */
    record Header(int fc, int manuf, int tsn, int cmd, int payloadOffset) {
        boolean clusterSpecific() {
            return (fc & FC_CLUSTER_SPECIFIC) != 0;
        }

        boolean manufSpecific() {
            return (fc & FC_MANUF) != 0;
        }

        boolean serverToClient() {
            return (fc & FC_SERVER_TO_CLIENT) != 0;
        }

        boolean disableDefaultRsp() {
            return (fc & FC_DISABLE_DEFAULT_RSP) != 0;
        }
    }

    /** Parses the header, or returns null when the frame is too short to have one. */
    static Header header(byte[] f) {
        if (f.length < 3) {
            return null;
        }
        int fc = f[0] & 0xFF;
        if ((fc & FC_MANUF) != 0) {
            if (f.length < 5) {
                return null;
            }
            return new Header(fc, (f[1] & 0xFF) | (f[2] & 0xFF) << 8, f[3] & 0xFF, f[4] & 0xFF, 5);
        }
        return new Header(fc, -1, f[1] & 0xFF, f[2] & 0xFF, 3);
    }

    /** Writes a reply header: server-to-client, default response disabled, manufacturer code echoed. */
    static SimBytes.W replyHeader(Header req, boolean clusterSpecific, int cmd) {
        SimBytes.W w = new SimBytes.W();
        int fc = (clusterSpecific ? FC_CLUSTER_SPECIFIC : 0) | FC_SERVER_TO_CLIENT | FC_DISABLE_DEFAULT_RSP;
        if (req != null && req.manufSpecific()) {
            w.u8(fc | FC_MANUF).u16(req.manuf());
        } else {
            w.u8(fc);
        }
        return w.u8(req == null ? 0 : req.tsn()).u8(cmd);
    }

    /** Fixed size of a type's value, or -1 for strings. */
    static int size(int type) {
        return switch (type) {
            case BOOL, MAP8, U8, S8, ENUM8, 0x08 -> 1;
            case MAP16, U16, S16, ENUM16, 0x09 -> 2;
            case U24, 0x2A, 0x1A -> 3;
            case MAP32, U32, S32, 0x0B -> 4;
            case U48, 0x2D -> 6;
            case EUI64 -> 8;
            case OCTSTR, CHARSTR -> -1;
            default -> 0;
        };
    }

    static boolean known(int type) {
        return size(type) != 0;
    }

    static boolean signed(int type) {
        return type >= 0x28 && type <= 0x2F;
    }

    /** Analog types carry a reportable change in Configure Reporting (ZCL Table 2-10). */
    static boolean analog(int type) {
        return (type >= 0x20 && type <= 0x2F) || (type >= 0x38 && type <= 0x3A) || (type >= 0xE0 && type <= 0xE2);
    }

    /** Reads a value of {@code type}: Long for numbers (sign-extended for signed types), String for strings. */
    static Object read(SimBytes.R r, int type) {
        int s = size(type);
        if (s < 0) {
            int len = r.u8();
            if (len == 0xFF) {
                return type == CHARSTR ? "" : new byte[0];
            }
            byte[] b = r.bytes(len);
            return type == CHARSTR ? new String(b, StandardCharsets.UTF_8) : b;
        }
        if (s == 0) {
            throw new IllegalArgumentException("unsupported ZCL type " + type);
        }
        long v = r.uN(s);
        if (signed(type) && s < 8) {
            int shift = 64 - 8 * s;
            v = (v << shift) >> shift;
        }
        return v;
    }

    static void write(SimBytes.W w, int type, Object value) {
        int s = size(type);
        if (s < 0) {
            byte[] b = value instanceof String str ? str.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
            w.u8(b.length).bytes(b);
        } else {
            w.uN(((Number) value).longValue(), s);
        }
    }
}
