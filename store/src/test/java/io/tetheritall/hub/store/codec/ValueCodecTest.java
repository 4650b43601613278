package io.tetheritall.hub.store.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.StoreTestSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    private final ValueCodec codec = new ValueCodec(true, 1024);

    @Test
    void smallValuesAreStoredAsTheyAre() throws Exception {
        byte[] v = StoreTestSupport.bytes("{\"state\":\"ON\",\"brightness\":254}");
        byte[] env = codec.encode(v, 12345L);
        assertEquals(ValueCodec.HEADER + v.length, env.length);
        assertEquals(ValueCodec.MAGIC, env[0]);
        assertEquals(ValueCodec.VERSION, env[1]);
        assertArrayEquals(v, codec.decode(env, 0));
        assertEquals(12345L, ValueCodec.expiresAt(env, 0));
        assertEquals(0, codec.compressedValues());
    }

    @Test
    void largeCompressibleValuesAreCompressedAndRoundTrip() throws Exception {
        byte[] v = StoreTestSupport.bytes("{\"temperature\":21.5,\"humidity\":40}".repeat(100));
        byte[] env = codec.encode(v, 0);
        assertTrue(env.length < v.length / 4, "stored " + env.length + " of " + v.length);
        assertArrayEquals(v, codec.decode(env, 0));
        assertEquals(1, codec.compressedValues());
        assertTrue(codec.compressionRatio() > 4, "ratio " + codec.compressionRatio());
        // with an offset (how L1 stores it, behind a 4-byte slot number)
        byte[] shifted = new byte[env.length + 4];
        System.arraycopy(env, 0, shifted, 4, env.length);
        assertArrayEquals(v, codec.decode(shifted, 4));
    }

    @Test
    void incompressibleValuesStayUncompressed() throws Exception {
        byte[] v = new byte[4096];
        new Random(7).nextBytes(v);
        byte[] env = codec.encode(v, 0);
        assertEquals(0, env[2]);
        assertArrayEquals(v, codec.decode(env, 0));
    }

    @Test
    void compressionOffMeansNeverCompressed() throws Exception {
        ValueCodec off = new ValueCodec(false, 0);
        byte[] v = new byte[10_000];
        byte[] env = off.encode(v, 0);
        assertEquals(ValueCodec.HEADER + v.length, env.length);
        assertArrayEquals(v, off.decode(env, 0));
    }

    @Test
    void expiryIsNeverWhenZero() {
        assertFalse(ValueCodec.isExpired(0, Long.MAX_VALUE));
        assertTrue(ValueCodec.isExpired(100, 100));
        assertFalse(ValueCodec.isExpired(101, 100));
    }

    @Test
    void anOtherVersionIsRefused() {
        byte[] env = codec.encode(new byte[] {1, 2, 3}, 0);
        env[1] = 0;
        CorruptValueException e = assertThrows(CorruptValueException.class, () -> codec.decode(env, 0));
        assertTrue(e.getMessage().contains("version"));
        env[1] = 2;
        assertThrows(CorruptValueException.class, () -> ValueCodec.expiresAt(env, 0));
    }

    @Test
    void garbageTruncationAndBadLz4AreRefused() {
        assertThrows(CorruptValueException.class, () -> codec.decode(StoreTestSupport.bytes("hello, world!"), 0));
        assertThrows(CorruptValueException.class, () -> codec.decode(new byte[] {ValueCodec.MAGIC, 1, 0}, 0));
        byte[] big = codec.encode(new byte[5000], 0);
        assertThrows(CorruptValueException.class, () -> codec.decode(Arrays.copyOf(big, big.length - 5), 0));
        byte[] bad = big.clone();
        for (int i = ValueCodec.HEADER + 4; i < bad.length; i++) {
            bad[i] = (byte) 0xFF;
        }
        assertThrows(CorruptValueException.class, () -> codec.decode(bad, 0));
        byte[] hugeClaim = big.clone();
        hugeClaim[ValueCodec.HEADER] = 0x7F;
        assertThrows(CorruptValueException.class, () -> codec.decode(hugeClaim, 0));
        byte[] flags = codec.encode(new byte[3], 0);
        flags[2] = 4;
        assertThrows(CorruptValueException.class, () -> codec.decode(flags, 0));
    }
}
