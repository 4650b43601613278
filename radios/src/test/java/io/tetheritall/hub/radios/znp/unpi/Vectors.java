package io.tetheritall.hub.radios.znp.unpi;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;

/** Golden frames from protocols.md §A1 (MT spec ping example) and §A7 (computed with the MT FCS rule). */
final class Vectors {
    record Vector(String name, String hex, int type, int subsystem, int command, String dataHex) {
        byte[] wire() {
            return Vectors.hex(hex);
        }

        UnpiFrame frame() {
            return new UnpiFrame(type, subsystem, command, Vectors.hex(dataHex));
        }
    }

    static final List<Vector> ALL = List.of(
            new Vector("SYS_PING", "FE 00 21 01 20", UnpiFrame.SREQ, 1, 0x01, ""),
            new Vector("SYS_PING rsp", "FE 02 61 01 11 00 73", UnpiFrame.SRSP, 1, 0x01, "11 00"),
            new Vector("SYS_RESET_REQ soft", "FE 01 41 00 01 41", UnpiFrame.AREQ, 1, 0x00, "01"),
            new Vector("SYS_VERSION rsp 20230507", "FE 09 61 02 02 01 02 07 01 6B B1 34 01 82", UnpiFrame.SRSP, 1, 0x02,
                    "02 01 02 07 01 6B B1 34 01"),
            new Vector("ZDO_STATE_CHANGE_IND 9", "FE 01 45 C0 09 8D", UnpiFrame.AREQ, 5, 0xC0, "09"),
            new Vector("AF_DATA_REQUEST OnOff.On", "FE 0D 24 01 34 12 01 01 06 00 05 00 1E 03 01 05 01 15",
                    UnpiFrame.SREQ, 4, 0x01, "34 12 01 01 06 00 05 00 1E 03 01 05 01"),
            new Vector("AF_DATA_REQUEST SRSP BUFFER_FULL", "FE 01 64 01 11 75", UnpiFrame.SRSP, 4, 0x01, "11"),
            new Vector("AF_DATA_CONFIRM ok", "FE 03 44 80 00 01 05 C3", UnpiFrame.AREQ, 4, 0x80, "00 01 05"));

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] allWire() {
        return concat(ALL.stream().map(Vector::wire).toArray(byte[][]::new));
    }

    static List<UnpiFrame> allFrames() {
        return ALL.stream().map(Vector::frame).toList();
    }

    private Vectors() {
    }
}
