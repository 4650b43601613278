/**
 * The hub's state store: a tiered cache and a durable outbox. Knows bytes and keys, nothing of devices.
 *
 * <pre>
 *                 ┌──────────────────────────── TieredCache ─────────────────────────────┐
 *   get/put ────► │ L1  OffHeapL1: Chronicle Map off-heap, sampled LRU/LFU/TTL eviction   │
 *   getOrLoad     │      │ miss                     ▲ promote / warm at open              │
 *   (single       │      ▼                          │                                     │
 *    flight)      │ write-behind buffer ── writer thread (debounce, max deferral) ──┐    │
 *                 │      │ (read-your-writes)                                       ▼    │
 *                 │ L2  MapDbL2: MapDB file, transactions, FileChannel ◄── write-through │
 *                 └──────────────────────────────────────────────────────────────────────┘
 *   Outbox: MapDB file, FIFO by sequence, at-least-once, supersede keys, drop-oldest-telemetry when full.
 * </pre>
 *
 * <p>Packages, one per layer: this one is the API (the cache, its configuration, clock and metrics);
 * {@code l1} the off-heap map and its eviction; {@code l2} the MapDB files (opening, the redo journal that makes a
 * commit crash safe, moving broken files aside); {@code outbox} the durable queue; {@code codec} the value envelope.
 * Nothing below this package imports it except {@code outbox}, which takes the store's configuration and clock.
 *
 * <p>Values are wrapped by {@link io.tetheritall.hub.store.codec.ValueCodec} (versioned envelope, expiry, LZ4). Time
 * comes from an injected {@link io.tetheritall.hub.store.StoreClock}; the background work is two explicit steps,
 * {@link io.tetheritall.hub.store.TieredCache#flushDue()} and {@link io.tetheritall.hub.store.TieredCache#cleanExpired()},
 * run by the named threads {@code store-writer} and {@code store-cleaner} (or by tests). Broken files are moved
 * aside as {@code <name>.corrupt-<millis>}; the hub never refuses to start because of its cache.
 *
 * <p>The JVM must run with {@code -Dchronicle.analytics.disable=true} (Chronicle otherwise sends usage analytics)
 * and the module opens listed in the root pom ({@code hub.jvm.opens}).
 */
package io.tetheritall.hub.store;
