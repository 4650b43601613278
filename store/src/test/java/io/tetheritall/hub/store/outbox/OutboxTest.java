package io.tetheritall.hub.store.outbox;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.ManualStoreClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private final ManualStoreClock clock = new ManualStoreClock();

    private static List<String> payloads(List<OutboxEntry> es) {
        return es.stream().map(e -> str(e.payload())).collect(Collectors.toList());
    }

    @Test
    void appendReadAcknowledgeInOrderAndAtLeastOnce() throws IOException {
        try (Outbox o = Outbox.open(config(freshDir("ob")).build(), clock)) {
            long s1 = o.append(MessageKind.EVENT, null, bytes("a"));
            long s2 = o.append(MessageKind.TELEMETRY, null, bytes("b"));
            long s3 = o.append(MessageKind.RESPONSE, null, bytes("c"));
            assertTrue(s1 < s2 && s2 < s3);
            List<OutboxEntry> batch = o.readBatch(2, Long.MAX_VALUE);
            assertEquals(List.of("a", "b"), payloads(batch));
            assertEquals(List.of("a", "b"), payloads(o.readBatch(2, Long.MAX_VALUE)), "not acked: read again");
            assertEquals(2, o.acknowledge(batch.get(1).seq()));
            assertEquals(List.of("c"), payloads(o.readBatch(10, Long.MAX_VALUE)));
            assertEquals(MessageKind.RESPONSE, o.readBatch(10, Long.MAX_VALUE).get(0).kind());
            assertEquals(0, o.acknowledge(s1), "already acknowledged");
            assertEquals(1, o.size());
        }
    }

    @Test
    void batchesAreBoundedByBytesButNeverEmpty() throws IOException {
        try (Outbox o = Outbox.open(config(freshDir("obbytes")).build(), clock)) {
            o.append(MessageKind.EVENT, null, new byte[600]);
            o.append(MessageKind.EVENT, null, new byte[600]);
            assertEquals(1, o.readBatch(10, 1000).size());
            assertEquals(1, o.readBatch(10, 10).size());
            assertEquals(2, o.readBatch(10, 1200).size());
            assertThrows(IllegalArgumentException.class, () -> o.readBatch(0, 10));
        }
    }

    @Test
    void survivesARestartAndNeverReusesSequenceNumbers() throws IOException {
        Path dir = freshDir("obrestart");
        long last;
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            for (int i = 0; i < 50; i++) {
                o.append(MessageKind.TELEMETRY, null, bytes("m" + i));
            }
            o.acknowledge(o.readBatch(20, Long.MAX_VALUE).get(19).seq());
            last = o.readBatch(100, Long.MAX_VALUE).get(29).seq();
        }
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            List<OutboxEntry> all = o.readBatch(100, Long.MAX_VALUE);
            assertEquals(30, all.size());
            assertEquals("m20", str(all.get(0).payload()));
            assertEquals("m49", str(all.get(29).payload()));
            o.acknowledge(last);
            assertEquals(0, o.size());
        }
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            assertTrue(o.append(MessageKind.EVENT, null, bytes("x")) > last, "sequence continues after a drain");
        }
    }

    @Test
    void aNewerMessageSupersedesTheQueuedOneWithTheSameKey() throws IOException {
        try (Outbox o = Outbox.open(config(freshDir("obsup")).build(), clock)) {
            o.append(MessageKind.TELEMETRY, "zigbee/lamp", bytes("ON"));
            o.append(MessageKind.EVENT, null, bytes("button"));
            o.append(MessageKind.TELEMETRY, "zigbee/lamp", bytes("OFF"));
            o.append(MessageKind.TELEMETRY, "zigbee/plug", bytes("1W"));
            assertEquals(List.of("button", "OFF", "1W"), payloads(o.readBatch(10, Long.MAX_VALUE)));
            OutboxEntry lamp = o.readBatch(10, Long.MAX_VALUE).get(1);
            assertEquals("zigbee/lamp", lamp.supersedeKey());
            assertNull(o.readBatch(10, Long.MAX_VALUE).get(0).supersedeKey());
            assertEquals(1, o.metrics().superseded());
        }
    }

    @Test
    void whenFullTheOldestTelemetryGoesFirstThenTheOldestOfAnyKind() throws IOException {
        try (Outbox o = Outbox.open(config(freshDir("obfull")).outboxMaxCount(4).build(), clock)) {
            o.append(MessageKind.EVENT, null, bytes("e1"));
            o.append(MessageKind.TELEMETRY, null, bytes("t1"));
            o.append(MessageKind.RESPONSE, null, bytes("r1"));
            o.append(MessageKind.TELEMETRY, null, bytes("t2"));
            o.append(MessageKind.EVENT, null, bytes("e2"));
            assertEquals(List.of("e1", "r1", "t2", "e2"), payloads(o.readBatch(10, Long.MAX_VALUE)));
            o.append(MessageKind.EVENT, null, bytes("e3"));
            assertEquals(List.of("e1", "r1", "e2", "e3"), payloads(o.readBatch(10, Long.MAX_VALUE)));
            o.append(MessageKind.TELEMETRY, null, bytes("t3"));
            assertEquals(List.of("r1", "e2", "e3", "t3"), payloads(o.readBatch(10, Long.MAX_VALUE)),
                    "no telemetry left: the oldest of any kind goes");
            OutboxMetrics m = o.metrics();
            assertEquals(2, m.droppedTelemetry());
            assertEquals(1, m.droppedOther());
            assertEquals(4, m.queued());
            assertEquals(7, m.appended());
        }
    }

    @Test
    void theByteBoundIsKeptToo() throws IOException {
        try (Outbox o = Outbox.open(config(freshDir("obfullb")).outboxMaxBytes(4096).build(), clock)) {
            for (int i = 0; i < 20; i++) {
                o.append(MessageKind.TELEMETRY, null, new byte[1000]);
                assertTrue(o.metrics().queuedBytes() <= 4096);
            }
            assertEquals(4, o.size());
            assertEquals(16, o.metrics().droppedTelemetry());
            assertThrows(IllegalArgumentException.class, () -> o.append(MessageKind.EVENT, null, new byte[5000]));
        }
    }

    @Test
    void aBrokenFileIsMovedAsideAndTheOutboxStartsEmpty() throws IOException {
        Path dir = freshDir("obcorrupt");
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            for (int i = 0; i < 100; i++) {
                o.append(MessageKind.EVENT, null, bytes("m" + i));
            }
        }
        Path f = dir.resolve(Outbox.FILE);
        byte[] junk = new byte[(int) Files.size(f)];
        new java.util.Random(1).nextBytes(junk);
        Files.write(f, junk);
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            assertEquals(0, o.size());
            assertEquals(1, o.metrics().recoveries());
            long seq = o.append(MessageKind.EVENT, null, bytes("after"));
            assertTrue(seq > 100, "sequence numbers are not reused after a loss: " + seq);
            assertEquals(1, o.size());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(Outbox.FILE + ".corrupt-")));
        }
    }

    @Test
    void aFileThatBreaksWhileOpenIsMovedAsideAndTheOutboxCarriesOn() throws IOException {
        Path dir = freshDir("obruntime");
        try (Outbox o = Outbox.open(config(dir).build(), clock)) {
            long last = 0;
            for (int i = 0; i < 200; i++) {
                last = o.append(MessageKind.EVENT, null, bytes("m" + i));
            }
            Path f = dir.resolve(Outbox.FILE);
            byte[] junk = new byte[(int) Files.size(f)];
            new java.util.Random(2).nextBytes(junk);
            Files.write(f, junk, java.nio.file.StandardOpenOption.WRITE);
            o.readBatch(500, Long.MAX_VALUE); // may meet the damage
            long next = o.append(MessageKind.EVENT, null, bytes("after"));
            assertTrue(next > last, "never reused: " + next + " after " + last);
            List<OutboxEntry> q = o.readBatch(500, Long.MAX_VALUE);
            assertEquals("after", str(q.get(q.size() - 1).payload()));
            if (o.metrics().recoveries() > 0) {
                assertEquals(1, q.size(), "the broken file's messages are gone, counted as a recovery");
            }
        }
    }
}
