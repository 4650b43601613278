/**
 * The hub core for a Zigbee radio: {@link io.tetheritall.hub.daemon.core.ZigbeeHub} implements the
 * uplinks' {@link io.tetheritall.hub.daemon.core.api.HubApi}.
 *
 * <pre>
 *   ZigbeeHub ─┬─ Commissioner       join → interview (ZDO, Basic, converter attributes) → bind/report → ready
 *              ├─ CommandService     set/get, validated; confirmed by TSN (default/read response) or report
 *              ├─ GroupService       Groups cluster membership, one group send per command
 *              ├─ AvailabilityMonitor  10 min ping (mains), 25 h expiry (battery)
 *              ├─ IncomingHandler    APS frame → pending answer | attribute cache | state; drops counted
 *              └─ HubContext         radio, HubClock, ClockScheduler, ZclTransactions (one pending table),
 *                                    DeviceRegistry (→ registry.DeviceRepository), EventBus, HubMetrics
 * </pre>
 *
 * <p>Wiring (the daemon): {@code new ZigbeeHub(scheduledRadio, HubClock.system(),
 * new JsonFileDeviceRepository(stateDir), DefinitionRegistry.builtIn(), CoreConfig.defaults())},
 * then {@code startTimer(Duration.ofMillis(250))}; the radio is started by its owner.
 */
package io.tetheritall.hub.daemon.core;
