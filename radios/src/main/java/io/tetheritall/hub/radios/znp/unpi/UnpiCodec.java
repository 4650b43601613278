package io.tetheritall.hub.radios.znp.unpi;

/** Encodes UNPI frames; the decoder is {@link UnpiDecoder}. */
public final class UnpiCodec {
    private UnpiCodec() {
    }

    /** The wire bytes of {@code frame}, SOF and FCS included. */
    public static byte[] encode(UnpiFrame frame) {
        int len = frame.length();
        byte[] out = new byte[len + 5];
        out[0] = (byte) UnpiFrame.SOF;
        out[1] = (byte) len;
        out[2] = (byte) frame.cmd0();
        out[3] = (byte) frame.command();
        for (int i = 0; i < len; i++) {
            out[4 + i] = (byte) frame.u8(i);
        }
        out[len + 4] = (byte) fcs(out, 1, len + 3);
        return out;
    }

    /** "FCS: XOR of LEN through the last DATA byte" (MT spec p.18). */
    public static int fcs(byte[] buf, int off, int len) {
        int x = 0;
        for (int i = off; i < off + len; i++) {
            x ^= buf[i];
        }
        return x & 0xFF;
    }
}
