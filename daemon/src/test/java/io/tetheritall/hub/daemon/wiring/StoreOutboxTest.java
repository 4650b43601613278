package io.tetheritall.hub.daemon.wiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.daemon.uplink.mqtt.Outbox;
import io.tetheritall.hub.store.ManualStoreClock;
import io.tetheritall.hub.store.StoreConfig;
import io.tetheritall.hub.store.outbox.MessageKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreOutbox} on a real MapDB outbox file in a temporary folder. */
class StoreOutboxTest {
    @TempDir
    Path dir;

    private io.tetheritall.hub.store.outbox.Outbox store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private StoreOutbox open(int maxCount) throws Exception {
        return open(maxCount, 1 << 20);
    }

    private StoreOutbox open(int maxCount, long maxBytes) throws Exception {
        if (store != null) {
            store.close();
        }
        StoreConfig cfg = StoreConfig.builder().stateDir(dir).outboxMaxCount(maxCount).outboxMaxBytes(maxBytes).build();
        store = io.tetheritall.hub.store.outbox.Outbox.open(cfg, new ManualStoreClock());
        return new StoreOutbox(store);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> topics(List<Outbox.Entry> es) {
        return es.stream().map(Outbox.Entry::topic).collect(Collectors.toList());
    }

    @Test
    void envelopeRoundTripsEveryField() throws Exception {
        StoreOutbox o = open(100);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        long a = o.append("state", "state:kitchen/bulb", "hub/kitchen/bulb", b("{\"state\":\"ON\"}"), 1, true);
        long c = o.append("event", null, "hub/bridge/event", binary, 0, false);
        long d = o.append("response", null, "hub/bridge/response/x", new byte[0], 2, false);
        String unicode = "hub/Küche/лампа/💡";
        long e = o.append("availability", "availability:Küche", unicode, b("{\"state\":\"online\"}"), 1, true);
        assertTrue(a > 0 && a < c && c < d && d < e, a + " " + c + " " + d + " " + e);

        List<Outbox.Entry> got = o.peekBatch(10);
        assertEquals(4, got.size());
        Outbox.Entry s = got.get(0);
        assertEquals(a, s.id());
        assertEquals("state", s.kind());
        assertEquals("state:kitchen/bulb", s.supersedeKey());
        assertEquals("hub/kitchen/bulb", s.topic());
        assertArrayEquals(b("{\"state\":\"ON\"}"), s.payload());
        assertEquals(1, s.qos());
        assertTrue(s.retain());
        Outbox.Entry ev = got.get(1);
        assertEquals("event", ev.kind());
        assertNull(ev.supersedeKey());
        assertArrayEquals(binary, ev.payload());
        assertEquals(0, ev.qos());
        assertFalse(ev.retain());
        assertEquals(2, got.get(2).qos());
        assertEquals(0, got.get(2).payload().length);
        assertEquals(unicode, got.get(3).topic());
        assertEquals("availability:Küche", got.get(3).supersedeKey());
        // peek does not remove
        assertEquals(4, o.size());
        assertEquals(4, o.peekBatch(10).size());
        assertEquals(2, o.peekBatch(2).size());
    }

    @Test
    void supersedeKeepsOnlyTheNewestInItsNewPositionAndOrderIsAppendOrder() throws Exception {
        StoreOutbox o = open(100);
        o.append("state", "state:a", "t/a", b("a1"), 1, true);
        o.append("event", null, "t/e", b("e1"), 1, false);
        o.append("state", "state:b", "t/b", b("b1"), 1, true);
        o.append("state", "state:a", "t/a", b("a2"), 1, true);
        o.append("event", null, "t/e", b("e2"), 1, false);
        o.append("state", "state:a", "t/a", b("a3"), 1, true);
        List<Outbox.Entry> got = o.peekBatch(100);
        assertEquals(List.of("e1", "b1", "e2", "a3"),
                got.stream().map(x -> new String(x.payload(), StandardCharsets.UTF_8)).collect(Collectors.toList()));
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i - 1).id() < got.get(i).id());
        }
        assertEquals(4, o.size());
        assertEquals(2, store.metrics().superseded());
    }

    @Test
    void queuedKeysAreTheSupersedeKeysWaitingNowAcrossAReopen() throws Exception {
        StoreOutbox o = open(100);
        assertEquals(java.util.Set.of(), o.queuedKeys());
        long a1 = o.append("state", "state:a", "t/a", b("a1"), 1, true);
        o.append("event", null, "t/e", b("e1"), 1, false);
        o.append("availability", "availability:b", "t/b/availability", b("off"), 1, true);
        o.append("state", "state:a", "t/a", b("a2"), 1, true);
        assertEquals(java.util.Set.of("state:a", "availability:b"), o.queuedKeys());
        StoreOutbox again = open(100);
        assertEquals(java.util.Set.of("state:a", "availability:b"), again.queuedKeys(), "read from the file");
        List<Outbox.Entry> all = again.peekBatch(10);
        again.ack(all.get(1).id()); // e1 and availability:b sent
        assertEquals(java.util.Set.of("state:a"), again.queuedKeys());
        again.ack(all.get(2).id());
        assertEquals(java.util.Set.of(), again.queuedKeys());
        assertTrue(a1 < all.get(0).id());

        io.tetheritall.hub.daemon.uplink.mqtt.InMemoryOutbox mem = new io.tetheritall.hub.daemon.uplink.mqtt.InMemoryOutbox(10);
        mem.append("state", "state:a", "t/a", b("a1"), 1, true);
        long e = mem.append("event", null, "t/e", b("e1"), 1, false);
        mem.append("state", "state:c", "t/c", b("c1"), 1, true);
        assertEquals(java.util.Set.of("state:a", "state:c"), mem.queuedKeys());
        mem.ack(e);
        assertEquals(java.util.Set.of("state:c"), mem.queuedKeys());
    }

    @Test
    void ackRemovesUpToAndIncludingTheId() throws Exception {
        StoreOutbox o = open(100);
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = o.append("event", null, "t/" + i, b("p" + i), 1, false);
        }
        o.ack(ids[2]);
        assertEquals(List.of("t/3", "t/4"), topics(o.peekBatch(10)));
        o.ack(ids[2]); // again: nothing more goes
        assertEquals(2, o.size());
        o.ack(ids[4]);
        assertEquals(0, o.size());
        assertTrue(o.peekBatch(10).isEmpty());
        // ids keep growing after everything was acknowledged
        assertTrue(o.append("event", null, "t/5", b("p5"), 1, false) > ids[4]);
    }

    @Test
    void queuedMessagesSurviveCloseAndReopen() throws Exception {
        StoreOutbox o = open(100);
        long first = o.append("state", "state:a", "t/a", b("a1"), 1, true);
        o.append("event", null, "t/e", b("e1"), 0, false);
        long last = o.append("state", "state:b", "t/b", b("b1"), 2, true);
        o.ack(first);

        StoreOutbox again = open(100); // closes the first file handle, opens the same file
        List<Outbox.Entry> got = again.peekBatch(10);
        assertEquals(List.of("t/e", "t/b"), topics(got));
        assertEquals(0, got.get(0).qos());
        assertFalse(got.get(0).retain());
        assertEquals(last, got.get(1).id());
        assertEquals(2, got.get(1).qos());
        assertTrue(got.get(1).retain());
        assertEquals("state:b", got.get(1).supersedeKey());
        // Supersede still works across the restart: the key index is rebuilt from the file.
        long b2 = again.append("state", "state:b", "t/b", b("b2"), 1, true);
        assertTrue(b2 > last, "ids never repeat after a reopen");
        assertEquals(List.of("e1", "b2"), again.peekBatch(10).stream()
                .map(x -> new String(x.payload(), StandardCharsets.UTF_8)).collect(Collectors.toList()));
    }

    @Test
    void fullDropsOldestTelemetryFirstAndRefusesWithMinusOne() throws Exception {
        StoreOutbox o = open(3);
        o.append("event", null, "t/e1", b("e1"), 1, false);
        o.append("state", "state:a", "t/a", b("a"), 1, true);
        o.append("availability", "availability:b", "t/b", b("b"), 1, true);
        // Full: the oldest telemetry (state a) goes, the event stays.
        o.append("event", null, "t/e2", b("e2"), 1, false);
        assertEquals(List.of("t/e1", "t/b", "t/e2"), topics(o.peekBatch(10)));
        o.append("response", null, "t/r", b("r"), 1, false);
        assertEquals(List.of("t/e1", "t/e2", "t/r"), topics(o.peekBatch(10)));
        assertEquals(2, store.metrics().droppedTelemetry());
        // No telemetry left: the oldest event goes.
        o.append("event", null, "t/e3", b("e3"), 1, false);
        assertEquals(List.of("t/e2", "t/r", "t/e3"), topics(o.peekBatch(10)));
        assertEquals(1, store.metrics().droppedOther());

        // A message that can never fit is refused with -1 and nothing queued is lost.
        StoreOutbox small = open(10, 1024);
        assertEquals(3, small.size());
        assertEquals(-1, small.append("event", null, "t/huge", new byte[4096], 1, false));
        assertEquals(-1, small.append("event", null, "", b("x"), 1, false), "an empty topic does not fit the envelope");
        assertEquals(-1, small.append("event", null, "t", b("x"), 3, false), "qos 3 does not exist");
        assertEquals(-1, small.append("x".repeat(300), null, "t", b("x"), 1, false), "kind longer than 255 bytes");
        assertEquals(List.of("t/e2", "t/r", "t/e3"), topics(small.peekBatch(10)));
    }

    @Test
    void anUnreadableEntryIsDroppedAndCountedInsteadOfBlockingTheQueue() throws Exception {
        StoreOutbox o = open(100);
        // Entries written by something else on the same queue (a future envelope version, a truncated one).
        long bad1 = store.append(MessageKind.EVENT, null, new byte[]{9, 1, 0, 0});
        long bad2 = store.append(MessageKind.EVENT, null, new byte[]{1, 1});
        long good = o.append("event", null, "t/good", b("g"), 1, false);
        List<Outbox.Entry> got = o.peekBatch(10);
        assertEquals(List.of("t/good"), topics(got));
        assertEquals(good, got.get(0).id());
        assertEquals(2, o.unreadable());
        assertEquals(1, o.size(), "the unreadable entries are gone from the file: " + bad1 + ", " + bad2);

        StoreOutbox again = open(100);
        assertEquals(List.of("t/good"), topics(again.peekBatch(10)));
    }

    @Test
    void anUnreadableEntryBehindReadableOnesDoesNotTakeThemWithIt() throws Exception {
        StoreOutbox o = open(100);
        long g1 = o.append("event", null, "t/g1", b("1"), 1, false);
        long g2 = o.append("event", null, "t/g2", b("2"), 1, false);
        store.append(MessageKind.EVENT, null, new byte[]{7});
        long g3 = o.append("event", null, "t/g3", b("3"), 1, false);

        // The batch stops before the unreadable entry: acknowledging it ("up to") now would drop g1 and g2 unsent.
        List<Outbox.Entry> first = o.peekBatch(10);
        assertEquals(List.of(g1, g2), first.stream().map(Outbox.Entry::id).collect(Collectors.toList()));
        assertEquals(4, o.size(), "nothing is removed before it was sent");
        assertEquals(0, o.unreadable());
        o.ack(g2);
        List<Outbox.Entry> second = o.peekBatch(10);
        assertEquals(List.of(g3), second.stream().map(Outbox.Entry::id).collect(Collectors.toList()));
        assertEquals(1, o.unreadable());
        assertEquals(1, o.size());
    }

    @Test
    void kindsMapToTheStoresDropClasses() throws Exception {
        StoreOutbox o = open(100);
        o.append("state", "k1", "t/1", b("1"), 1, true);
        o.append("availability", "k2", "t/2", b("2"), 1, true);
        o.append("health", null, "t/3", b("3"), 1, false);
        o.append("event", null, "t/4", b("4"), 1, false);
        o.append("response", null, "t/5", b("5"), 1, false);
        o.append("bridge", "bridge/info", "t/6", b("6"), 1, true);
        List<MessageKind> kinds = store.readBatch(10, Long.MAX_VALUE).stream()
                .map(io.tetheritall.hub.store.outbox.OutboxEntry::kind).collect(Collectors.toList());
        assertEquals(List.of(MessageKind.TELEMETRY, MessageKind.TELEMETRY, MessageKind.TELEMETRY, MessageKind.EVENT,
                MessageKind.RESPONSE, MessageKind.EVENT), kinds);
    }
}
