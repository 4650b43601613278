package io.tetheritall.hub.radios.znp.unpi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One UNPI frame as it travels over the wire: {@code FE | LEN | CMD0 | CMD1 | DATA | FCS}.
 *
 * <p>CMD0 is {@code type << 5 | subsystem} (MT spec SWRA198 §2.1.2). This class knows the
 * three header fields as numbers only; what a subsystem or command means is the MT layer's
 * business. Immutable; {@link #data()} returns a copy.
 */
public final class UnpiFrame {
    /** Start of frame. */
    public static final int SOF = 0xFE;
    /** "LEN ... 0-250": hosts reject anything longer (MT spec p.17). */
    public static final int MAX_DATA = 250;

    /** MT frame types (the top three bits of CMD0). */
    public static final int POLL = 0, SREQ = 1, AREQ = 2, SRSP = 3;

    private final int type;
    private final int subsystem;
    private final int command;
    private final byte[] data;

    public UnpiFrame(int type, int subsystem, int command, byte[] data) {
        if (type < 0 || type > 7) {
            throw new IllegalArgumentException("type must be 0..7, but was " + type);
        }
        if (subsystem < 0 || subsystem > 0x1F) {
            throw new IllegalArgumentException("subsystem must be 0..31, but was " + subsystem);
        }
        if (command < 0 || command > 0xFF) {
            throw new IllegalArgumentException("command must be 0..255, but was " + command);
        }
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("data must be at most 250 bytes, but was " + data.length);
        }
        this.type = type;
        this.subsystem = subsystem;
        this.command = command;
        this.data = data.clone();
    }

    /** For the decoder: takes ownership of an array it has just filled, without a copy. */
    UnpiFrame(int type, int subsystem, int command, byte[] owned, boolean owner) {
        this.type = type;
        this.subsystem = subsystem;
        this.command = command;
        this.data = owned;
    }

    /** Builds a frame from the two command bytes as printed in the MT spec, e.g. {@code 0x21, 0x01}. */
    public static UnpiFrame of(int cmd0, int cmd1, byte... data) {
        return new UnpiFrame((cmd0 >> 5) & 0x07, cmd0 & 0x1F, cmd1 & 0xFF, data);
    }

    public int type() {
        return type;
    }

    public int subsystem() {
        return subsystem;
    }

    public int command() {
        return command;
    }

    /** {@code type << 5 | subsystem}. */
    public int cmd0() {
        return (type << 5) | subsystem;
    }

    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    /** Reads one data byte without copying. */
    public int u8(int index) {
        return data[index] & 0xFF;
    }

    /** Reads a little-endian u16 at {@code index} without copying. */
    public int u16(int index) {
        return (data[index] & 0xFF) | (data[index + 1] & 0xFF) << 8;
    }

    /** Copies {@code len} data bytes from {@code index}. */
    public byte[] slice(int index, int len) {
        return Arrays.copyOfRange(data, index, index + len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnpiFrame f && f.type == type && f.subsystem == subsystem
                && f.command == command && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + subsystem) * 31 + command) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("%02X %02X [%s]", cmd0(), command, HexFormat.ofDelimiter(" ").withUpperCase().formatHex(data));
    }
}
