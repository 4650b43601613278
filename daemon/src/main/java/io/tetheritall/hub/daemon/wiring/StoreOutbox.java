package io.tetheritall.hub.daemon.wiring;

import io.tetheritall.hub.daemon.uplink.mqtt.Outbox;
import io.tetheritall.hub.store.MessageKind;
import io.tetheritall.hub.store.OutboxEntry;
import io.tetheritall.hub.store.StoreWriteException;
import org.tinylog.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    private final io.tetheritall.hub.store.Outbox store;

    public StoreOutbox(io.tetheritall.hub.store.Outbox store) {
        this.store = store;
    }

    @Override
    public long append(String kind, String supersedeKey, String topic, byte[] payload, int qos, boolean retain) {
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
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

    @Override
    public List<Entry> peekBatch(int max) {
        List<Entry> out = new ArrayList<>();
        for (OutboxEntry e : store.readBatch(max, Long.MAX_VALUE)) {
            ByteBuffer b = ByteBuffer.wrap(e.payload());
            try {
                if (b.get() != VERSION) {
                    throw new IllegalStateException("unknown envelope version");
                }
                int qos = b.get();
                boolean retain = b.get() != 0;
                byte[] k = new byte[b.get() & 0xFF];
                b.get(k);
                byte[] t = new byte[b.getShort() & 0xFFFF];
                b.get(t);
                byte[] payload = new byte[b.remaining()];
                b.get(payload);
                out.add(new Entry(e.seq(), new String(k, StandardCharsets.UTF_8), e.supersedeKey(),
                        new String(t, StandardCharsets.UTF_8), payload, qos, retain));
            } catch (RuntimeException bad) {
                // A message we cannot read is acknowledged away, loudly, rather than blocking the queue forever.
                Logger.error("outbox: message {} is unreadable ({}); dropping it", e.seq(), bad.toString());
                store.acknowledge(e.seq());
            }
        }
        return out;
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
