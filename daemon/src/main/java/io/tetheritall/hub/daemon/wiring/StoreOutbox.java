package io.tetheritall.hub.daemon.wiring;

import io.tetheritall.hub.daemon.uplink.mqtt.Outbox;
import io.tetheritall.hub.store.StoreWriteException;
import io.tetheritall.hub.store.outbox.MessageKind;
import io.tetheritall.hub.store.outbox.OutboxEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * The MQTT uplink's outbox on the store's durable MapDB queue: what the hub owes the broker survives a
 * restart and a kill -9. The store queue keeps bytes only, so each message travels in a small
 * versioned envelope: {@code version(1) qos(1) retain(1) kindLen(1) kind topicLen(2) topic payload}.
 *
 * <p>State and availability are telemetry (dropped first when the outbox is full); events and
 * responses are kept longer.
 */
public final class StoreOutbox implements Outbox {
    private static final int VERSION = 1;

    private final io.tetheritall.hub.store.outbox.Outbox store;
    private final AtomicLong unreadable = new AtomicLong();

    public StoreOutbox(io.tetheritall.hub.store.outbox.Outbox store) {
        this.store = store;
    }

    @Override
    public long append(String kind, String supersedeKey, String topic, byte[] payload, int qos, boolean retain) {
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xFF || t.length > 0xFFFF || t.length == 0 || qos < 0 || qos > 2) {
            // The envelope has one byte for the kind's length and two for the topic's: refuse rather than
            // write an entry that would be read back as a different message.
            Logger.warn("outbox: {} for {} refused: does not fit the envelope (kind {} bytes, topic {} bytes, qos {})",
                    kind, topic, k.length, t.length, qos);
            return -1;
        }
        ByteBuffer b = ByteBuffer.allocate(6 + k.length + t.length + payload.length);
        b.put((byte) VERSION).put((byte) qos).put((byte) (retain ? 1 : 0)).put((byte) k.length).put(k)
                .putShort((short) t.length).put(t).put(payload);
        try {
            return store.append(kindOf(kind), supersedeKey, b.array());
        } catch (StoreWriteException | IllegalArgumentException e) {
            Logger.warn("outbox: {} for {} refused: {}", kind, topic, e.getMessage());
            return -1;
        }
    }

    private static MessageKind kindOf(String kind) {
        return switch (kind) {
            case "state", "availability", "health" -> MessageKind.TELEMETRY;
            case "response" -> MessageKind.RESPONSE;
            default -> MessageKind.EVENT;
        };
    }

    /**
     * The oldest readable entries. An entry whose envelope cannot be read is dropped with an ERROR log line and
     * counted ({@link #unreadable()}) once it is at the head of the queue; the store only acknowledges "up to" a
     * sequence number, so acknowledging it while readable entries before it are still unsent would drop those too.
     * The batch therefore stops before an unreadable entry that is not at the head.
     */
    @Override
    public List<Entry> peekBatch(int max) {
        List<Entry> out = new ArrayList<>();
        while (out.isEmpty()) {
            List<OutboxEntry> batch = store.readBatch(Math.max(1, max), Long.MAX_VALUE);
            if (batch.isEmpty()) {
                return out;
            }
            for (OutboxEntry e : batch) {
                Entry decoded = decode(e);
                if (decoded != null) {
                    out.add(decoded);
                    continue;
                }
                if (!out.isEmpty()) {
                    return out; // dropped on the next call, when it is at the head
                }
                // A message we cannot read is acknowledged away, loudly, rather than blocking the queue forever.
                unreadable.incrementAndGet();
                store.acknowledge(e.seq());
            }
        }
        return out;
    }

    private static Entry decode(OutboxEntry e) {
        ByteBuffer b = ByteBuffer.wrap(e.payload());
        try {
            int version = b.get();
            if (version != VERSION) {
                throw new IllegalStateException("unknown envelope version " + version);
            }
            int qos = b.get();
            if (qos < 0 || qos > 2) {
                throw new IllegalStateException("qos " + qos);
            }
            int retain = b.get();
            if (retain != 0 && retain != 1) {
                throw new IllegalStateException("retain flag " + retain);
            }
            byte[] k = new byte[b.get() & 0xFF];
            b.get(k);
            byte[] t = new byte[b.getShort() & 0xFFFF];
            if (t.length == 0) {
                throw new IllegalStateException("empty topic");
            }
            b.get(t);
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new Entry(e.seq(), new String(k, StandardCharsets.UTF_8), e.supersedeKey(),
                    new String(t, StandardCharsets.UTF_8), payload, qos, retain == 1);
        } catch (RuntimeException bad) {
            Logger.error("outbox: message {} is unreadable ({}); dropping it", e.seq(), bad.toString());
            return null;
        }
    }

    /** Entries dropped because their envelope could not be read. */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void ack(long upToId) {
        store.acknowledge(upToId);
    }

    @Override
    public int size() {
        return store.size();
    }
}
