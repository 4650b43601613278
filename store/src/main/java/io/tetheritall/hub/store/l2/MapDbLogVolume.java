package io.tetheritall.hub.store.l2;

import org.mapdb.volume.Volume;

/**
 * MapDB's own log file ({@code <file>.wal.N}) without its {@code fsync}.
 *
 * <p>MapDB 3.1 writes each transaction to that log, forces it, and deletes it at the end of the commit; it never
 * reads it back after a crash (see {@link JournaledVolume}). Within the process it is only scratch space that the
 * commit reads its records back from, so forcing it to disk buys nothing: the {@link JournaledVolume} journal is
 * what makes a commit durable. Dropping that force keeps a journaled commit at two {@code fsync}s, as many as
 * MapDB's own commit had.
 */
final class MapDbLogVolume extends ForwardingVolume {
    MapDbLogVolume(Volume v) {
        super(v);
    }

    @Override
    public void sync() {
        // deliberately nothing: see the class comment
    }
}
