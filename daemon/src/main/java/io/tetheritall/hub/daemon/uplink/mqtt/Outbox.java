package io.tetheritall.hub.daemon.uplink.mqtt;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The store-and-forward queue the MQTT uplink writes to while the broker is unreachable (or while
 * the publish rate limit holds messages back), drained in order when it comes back. The production
 * implementation is the store's durable outbox, so queued messages survive a hub restart; this is
 * the narrow contract the uplink needs from it.
 *
 * <p>Ids grow strictly in append order. {@link #peekBatch(int)} returns the oldest entries without
 * removing them; {@link #ack(long)} removes every entry with an id up to and including the given one,
 * after the broker has accepted them. A crash between publish and ack therefore re-sends (at least
 * once), never loses.
 *
 * <p>Supersession: appending an entry with a non-null {@code supersedeKey} removes any queued entry
 * with the same key, so only the newest state of a device waits in the queue (its position is that
 * of the new entry). Implementations must be thread-safe.
 */
public interface Outbox {

    /** One queued message. */
    record Entry(long id, String kind, String supersedeKey, String topic, byte[] payload, int qos, boolean retain) {
    }

    /**
     * Queues a message.
     *
     * @param kind          what it is (state, availability, event, response, bridge), for metrics
     * @param supersedeKey  if not null, an older queued entry with the same key is dropped
     * @return the new entry's id, or -1 if the outbox is full and the message was refused
     */
    long append(String kind, String supersedeKey, String topic, byte[] payload, int qos, boolean retain);

    /** Up to {@code max} oldest entries, oldest first; empty if none. Does not remove them. */
    List<Entry> peekBatch(int max);

    /** Removes every entry with {@code id <= upToId}. */
    void ack(long upToId);

    /** Entries queued now. */
    int size();

    /**
     * The supersede keys of the entries queued now (the uplink asks once per connect, to leave a device's queued
     * state where it is rather than send the snapshot's copy too). The default reads every queued entry; an
     * implementation with an index answers from it.
     */
    default Set<String> queuedKeys() {
        Set<String> out = new HashSet<>();
        int n = size();
        if (n > 0) {
            for (Entry e : peekBatch(n)) {
                if (e.supersedeKey() != null) {
                    out.add(e.supersedeKey());
                }
            }
        }
        return out;
    }
}
