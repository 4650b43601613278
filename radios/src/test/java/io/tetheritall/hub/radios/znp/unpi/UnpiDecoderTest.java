package io.tetheritall.hub.radios.znp.unpi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.tetheritall.hub.radios.znp.unpi.Vectors.concat;
import static io.tetheritall.hub.radios.znp.unpi.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnpiDecoderTest {
    private final List<UnpiFrame> got = new ArrayList<>();
    private final UnpiDecoder decoder = new UnpiDecoder(got::add);

    private static final byte[] PING = hex("FE 00 21 01 20");
    private static final byte[] PING_RSP = hex("FE 02 61 01 11 00 73");
    private static final UnpiFrame PING_RSP_FRAME = UnpiFrame.of(0x61, 0x01, (byte) 0x11, (byte) 0x00);

    @Test
    void framesSplitAtEveryByteBoundaryDecodeTheSame() {
        byte[] all = Vectors.allWire();
        for (int cut = 0; cut <= all.length; cut++) {
            got.clear();
            UnpiDecoder d = new UnpiDecoder(got::add);
            d.feed(all, 0, cut);
            d.feed(all, cut, all.length - cut);
            assertEquals(Vectors.allFrames(), got, "split at " + cut);
            assertEquals(0, d.pending());
            assertEquals(0, d.skippedBytes() + d.badFcs() + d.badLength());
        }
    }

    @Test
    void framesFedOneByteAtATimeDecodeTheSame() {
        for (byte b : Vectors.allWire()) {
            decoder.feed(new byte[] {b});
        }
        assertEquals(Vectors.allFrames(), got);
        assertEquals(Vectors.ALL.size(), decoder.frames());
    }

    @Test
    void severalFramesMergedInOneChunkAllComeOutInOrder() {
        byte[] all = Vectors.allWire();
        decoder.feed(concat(all, all, all));
        List<UnpiFrame> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.addAll(Vectors.allFrames());
        }
        assertEquals(expected, got);
    }

    @Test
    void zigpyZnpsBootloaderSkipOf256EfIsSkipped() {
        byte[] skip = new byte[256];
        Arrays.fill(skip, (byte) 0xEF);
        decoder.feed(concat(skip, PING));
        assertEquals(List.of(UnpiFrame.of(0x21, 0x01)), got);
        assertEquals(256, decoder.skippedBytes());
        assertEquals(0, decoder.badFcs() + decoder.badLength());
    }

    @Test
    void herdsmansSingleEfIsSkipped() {
        decoder.feed(concat(hex("EF"), PING));
        assertEquals(List.of(UnpiFrame.of(0x21, 0x01)), got);
        assertEquals(1, decoder.skippedBytes());
    }

    @Test
    void aBootBannerBeforeTheFirstFrameIsSkipped() {
        byte[] banner = "\r\nZ-Stack boot 3.x\r\n".getBytes(StandardCharsets.US_ASCII);
        decoder.feed(concat(banner, PING_RSP));
        assertEquals(List.of(PING_RSP_FRAME), got);
        assertEquals(banner.length, decoder.skippedBytes());
    }

    @Test
    void aBadFcsIsDroppedAndCountedAndTheNextGoodFrameStillDecodes() {
        byte[] bad = PING_RSP.clone();
        bad[bad.length - 1] ^= 0x01;
        decoder.feed(concat(bad, PING_RSP));
        assertEquals(List.of(PING_RSP_FRAME), got);
        assertEquals(1, decoder.badFcs());
        assertEquals(1, decoder.frames());
    }

    @Test
    void aCorruptedDataByteIsCaughtByTheFcs() {
        byte[] bad = Vectors.ALL.get(5).wire(); // AF_DATA_REQUEST
        bad[8] ^= 0x40;
        decoder.feed(concat(bad, Vectors.ALL.get(7).wire()));
        assertEquals(List.of(Vectors.ALL.get(7).frame()), got);
        assertEquals(1, decoder.badFcs());
    }

    @Test
    void aLenAbove250IsDroppedAndCounted() {
        decoder.feed(concat(hex("FE FB 61 01"), PING_RSP));
        assertEquals(List.of(PING_RSP_FRAME), got);
        assertEquals(1, decoder.badLength());
        assertEquals(0, decoder.badFcs());
        decoder.feed(concat(hex("FE FF"), PING_RSP));
        assertEquals(2, decoder.badLength());
        assertEquals(2, got.size());
    }

    @Test
    void aFalseSofInsideGarbageDoesNotHideTheRealFrameBehindIt() {
        // 0xFE in garbage claims a 5-byte frame that swallows the start of the real one; its FCS fails,
        // the hunt restarts on the byte after the false SOF and finds the real frame in the buffer.
        decoder.feed(concat(hex("00 13 FE 05 11 22"), PING_RSP));
        assertEquals(List.of(PING_RSP_FRAME), got);
        assertEquals(1, decoder.badFcs());
        assertEquals(0, decoder.pending());
    }

    @Test
    void aFalseSofClaimingALongFrameHoldsTheRealOneUntilDropPartialFrame() {
        decoder.feed(concat(hex("FE F0 00"), PING_RSP)); // claims 240 bytes that never come
        assertTrue(got.isEmpty(), "a real frame behind a long false SOF waits for more bytes");
        assertEquals(10, decoder.pending());

        // the line went quiet: the owner gives up on the partial frame
        assertTrue(decoder.dropPartialFrame());
        assertEquals(List.of(PING_RSP_FRAME), got);
        assertEquals(1, decoder.droppedPartials());
        assertEquals(0, decoder.pending());
        assertFalse(decoder.dropPartialFrame());
    }

    @Test
    void dropPartialFrameKeepsAFollowingPartialFrame() {
        byte[] half = Arrays.copyOf(PING_RSP, 4);
        decoder.feed(concat(hex("FE 40"), half));
        assertTrue(decoder.dropPartialFrame());
        assertTrue(got.isEmpty());
        assertEquals(half.length, decoder.pending(), "the real frame's first half is kept");
        decoder.feed(Arrays.copyOfRange(PING_RSP, 4, PING_RSP.length));
        assertEquals(List.of(PING_RSP_FRAME), got);
    }

    @Test
    void anSrspWithLenZeroIsAFrameToo() {
        decoder.feed(hex("FE 00 61 01 60"));
        assertEquals(List.of(UnpiFrame.of(0x61, 0x01)), got);
        assertEquals(0, got.get(0).length());
    }

    @Test
    void aThrowingSinkLosesOnlyItsFrameAndNothingIsDeliveredTwice() {
        List<UnpiFrame> seen = new ArrayList<>();
        UnpiDecoder d = new UnpiDecoder(f -> {
            seen.add(f);
            if (seen.size() == 1) {
                throw new IllegalStateException("bug upstairs");
            }
        });
        d.feed(concat(PING, PING_RSP));
        d.feed(hex("FE 01 45 C0 09 8D"));
        assertEquals(List.of(UnpiFrame.of(0x21, 0x01), PING_RSP_FRAME, UnpiFrame.of(0x45, 0xC0, (byte) 9)), seen);
        assertEquals(1, d.sinkErrors());
        assertEquals(3, d.frames());
    }

    @Test
    void resetForgetsAPartialFrame() {
        decoder.feed(Arrays.copyOf(PING_RSP, 5));
        assertEquals(5, decoder.pending());
        decoder.reset();
        assertEquals(0, decoder.pending());
        decoder.feed(PING_RSP);
        assertEquals(List.of(PING_RSP_FRAME), got);
    }

    @Test
    void randomFramesBetweenRandomGarbageInRandomChunksAllDecode() {
        Random rnd = new Random(20261127);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<UnpiFrame> expected = new ArrayList<>();
        long garbage = 0;
        for (int i = 0; i < 2000; i++) {
            int g = rnd.nextInt(4) == 0 ? rnd.nextInt(20) : 0;
            for (int k = 0; k < g; k++) {
                int b;
                do {
                    b = rnd.nextInt(256);
                } while (b == UnpiFrame.SOF); // garbage without SOF: every frame must then come out
                wire.write(b);
            }
            garbage += g;
            byte[] data = new byte[rnd.nextInt(rnd.nextBoolean() ? 40 : 251)];
            rnd.nextBytes(data);
            UnpiFrame f = new UnpiFrame(rnd.nextInt(4), rnd.nextInt(32), rnd.nextInt(256), data);
            expected.add(f);
            wire.writeBytes(UnpiCodec.encode(f));
        }
        byte[] all = wire.toByteArray();
        for (int off = 0; off < all.length; ) {
            int n = Math.min(all.length - off, 1 + rnd.nextInt(700));
            decoder.feed(all, off, n);
            off += n;
        }
        assertEquals(expected, got);
        assertEquals(garbage, decoder.skippedBytes());
        assertEquals(0, decoder.badFcs() + decoder.badLength());
    }
}
