/**
 * L1: device state off-heap in a Chronicle Map, with the eviction Chronicle Map does not have (sampled LRU, LFU and
 * TTL, bounded by entries and bytes). Internal to the store: the rest of the hub goes through
 * {@link io.tetheritall.hub.store.TieredCache}.
 */
package io.tetheritall.hub.store.l1;
