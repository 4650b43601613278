/**
 * Per-radio traffic policy: {@link io.tetheritall.hub.radios.scheduler.ScheduledRadio} wraps a bare
 * {@link io.tetheritall.hub.radios.api.ZigbeeRadio} with an adaptive in-flight window, unicast/broadcast/per-client
 * token buckets, a broadcast window, per-device round-robin queues with priorities and coalescing, retries with
 * backoff and deadlines, bounded queues answering BUSY with retry-after, and a resilience4j breaker.
 * Everything runs on one {@link io.tetheritall.hub.radios.time.TaskScheduler} per radio, real
 * ({@link io.tetheritall.hub.radios.time.ExecutorTaskScheduler}) or virtual
 * ({@link io.tetheritall.hub.radios.time.VirtualScheduler}, for tests and benches).
 */
package io.tetheritall.hub.radios.scheduler;
