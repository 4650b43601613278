package io.tetheritall.hub.daemon.uplink;

import io.tetheritall.hub.radios.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimiterAndNamesTest {

    @Test
    void clientLimiterKeepsClientsApartAndChecksBothBuckets() {
        ManualClock clock = new ManualClock();
        ClientLimiter l = new ClientLimiter(clock, new ClientLimiter.Limits(5, 10, 3), 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, l.tryAcquire("a"));
        }
        assertEquals(100, l.tryAcquire("a"), "per-second bucket empty: 100 ms at 10/s");
        assertEquals(0, l.tryAcquire("b"), "b has its own buckets");
        clock.advance(Duration.ofMillis(200));
        assertEquals(0, l.tryAcquire("a"));
        assertEquals(0, l.tryAcquire("a"));
        // 5 per minute used up: the per-minute bucket now decides (12 s per token).
        clock.advance(Duration.ofSeconds(1));
        long wait = l.tryAcquire("a");
        assertTrue(wait > 10_000 && wait <= 12_000, "wait " + wait);
        assertEquals(2, l.refused());
        assertEquals(0, new ClientLimiter(clock, ClientLimiter.Limits.NONE, 10).tryAcquire("x"));
    }

    @Test
    void clientTableIsBounded() {
        ManualClock clock = new ManualClock();
        ClientLimiter l = new ClientLimiter(clock, new ClientLimiter.Limits(0, 1, 1), 16);
        for (int i = 0; i < 1000; i++) {
            l.tryAcquire("spoofed-" + i);
        }
        assertTrue(l.clients() <= 16, "tracked " + l.clients());
    }

    @Test
    void friendlyNamesAndTopics() {
        assertNull(Names.invalidFriendlyName("kitchen/temp"));
        assertNull(Names.invalidFriendlyName("Küche 1"));
        assertTrue(Names.invalidFriendlyName("a+b").contains("wildcards"));
        assertTrue(Names.invalidFriendlyName("a#").contains("wildcards"));
        assertTrue(Names.invalidFriendlyName("a\u0000b").contains("U+0000"));
        assertTrue(Names.invalidFriendlyName("bad\uFFFD").contains("U+FFFD"));
        assertTrue(Names.invalidFriendlyName("x\uD800").contains("surrogate"));
        assertTrue(Names.invalidFriendlyName("/lead").contains("'/'"));
        assertTrue(Names.invalidFriendlyName("a//b").contains("'//'"));
        assertTrue(Names.invalidFriendlyName("lamp/set").contains("/set"));
        assertTrue(Names.invalidFriendlyName("bridge").contains("bridge"));
        assertTrue(Names.invalidFriendlyName(" ").contains("empty"));
        assertNull(Names.oddCharacter("emoji \uD83D\uDCA1 ok"));
        assertTrue(Names.oddCharacter("c1\u0085").contains("U+0085"));
    }

    @Test
    void valuesParseAndExplain() throws Exception {
        assertEquals(Map.of("state", "ON"), Values.parseJsonObject("{\"state\":\"ON\"}".getBytes(StandardCharsets.UTF_8)));
        var e = assertThrows(Values.BadPayloadException.class, () -> Values.parseJsonObject("{\"a\":".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("malformed JSON at offset"), e.getMessage());
        e = assertThrows(Values.BadPayloadException.class, () -> Values.parseJsonObject("[1]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("expected a JSON object, got an array", e.getMessage());
        e = assertThrows(Values.BadPayloadException.class, () -> Values.parseJsonObject(new byte[0]));
        assertTrue(e.getMessage().contains("empty"));
        assertEquals(120, Values.parsePlain("120".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ON", Values.parsePlain("ON".getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, Values.parsePlain("true".getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> m = Map.of("a", List.of(1, 2), "b", 1.5);
        assertEquals(m, Values.parseCborObject(Values.cbor(m)));
        assertThrows(Values.BadPayloadException.class, () -> Values.parseCborObject(new byte[]{(byte) 0xff, 0x01}));
    }
}
