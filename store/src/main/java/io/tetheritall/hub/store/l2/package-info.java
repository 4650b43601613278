/**
 * L2 and the store's files: MapDB opened the one safe way ({@link io.tetheritall.hub.store.l2.MapDbFiles}), each main
 * file behind a redo journal so that a commit survives a kill -9 or a power cut whole or not at all, and broken files
 * moved aside. Internal to the store: the rest of the hub goes through {@link io.tetheritall.hub.store.TieredCache}
 * and {@link io.tetheritall.hub.store.outbox.Outbox}.
 */
package io.tetheritall.hub.store.l2;
