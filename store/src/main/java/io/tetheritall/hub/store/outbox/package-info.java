/**
 * The durable outbox: what the hub owes its uplink while the broker is away, in order, at least once, bounded with
 * an explicit drop policy.
 */
package io.tetheritall.hub.store.outbox;
