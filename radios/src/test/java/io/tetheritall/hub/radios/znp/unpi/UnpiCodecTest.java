package io.tetheritall.hub.radios.znp.unpi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnpiCodecTest {
    static final List<Vectors.Vector> VECTORS = Vectors.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void encodesTheGoldenBytes(Vectors.Vector v) {
        assertArrayEquals(v.wire(), UnpiCodec.encode(v.frame()), v.name());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VECTORS")
    void decodesTheGoldenBytesToTheFrame(Vectors.Vector v) {
        List<UnpiFrame> got = new ArrayList<>();
        UnpiDecoder d = new UnpiDecoder(got::add);
        d.feed(v.wire());
        assertEquals(List.of(v.frame()), got);
        UnpiFrame f = got.get(0);
        assertEquals(v.type(), f.type());
        assertEquals(v.subsystem(), f.subsystem());
        assertEquals(v.command(), f.command());
        assertEquals(v.wire()[2] & 0xFF, f.cmd0());
        assertEquals(0, d.pending());
        assertEquals(0, d.skippedBytes());
    }

    @Test
    void fcsIsTheXorOfLenThroughData() {
        // MT spec worked example: the ping's FCS is 0x00 ^ 0x21 ^ 0x01 = 0x20
        assertEquals(0x20, UnpiCodec.fcs(Vectors.hex("FE 00 21 01 20"), 1, 3));
        assertEquals(0x73, UnpiCodec.fcs(Vectors.hex("FE 02 61 01 11 00 73"), 1, 5));
    }

    @Test
    void ofTakesTheCommandBytesAsPrintedInTheSpec() {
        UnpiFrame f = UnpiFrame.of(0x24, 0x01, Vectors.hex("34 12 01 01 06 00 05 00 1E 03 01 05 01"));
        assertEquals(UnpiFrame.SREQ, f.type());
        assertEquals(4, f.subsystem());
        assertEquals(0x1234, f.u16(0));
        assertEquals("24 01 [34 12 01 01 06 00 05 00 1E 03 01 05 01]", f.toString());
    }

    @Test
    void aMaximalFrameRoundTripsAndOversizedOnesAreRefused() {
        byte[] data = new byte[UnpiFrame.MAX_DATA];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i ^ 0xFE);
        }
        UnpiFrame big = UnpiFrame.of(0x44, 0x81, data);
        byte[] wire = UnpiCodec.encode(big);
        assertEquals(255, wire.length);
        List<UnpiFrame> got = new ArrayList<>();
        new UnpiDecoder(got::add).feed(wire);
        assertEquals(List.of(big), got);
        assertThrows(IllegalArgumentException.class, () -> UnpiFrame.of(0x44, 0x81, new byte[251]));
    }
}
