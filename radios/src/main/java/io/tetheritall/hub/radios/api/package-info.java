/**
 * The radio API that drivers use: send an APS frame, ask ZDO questions, permit joining, hear
 * about devices and messages. It knows nothing of serial ports, MT or Spinel; a ZNP coordinator,
 * the per-radio scheduler that wraps it, and test doubles all implement it.
 *
 * <pre>
 *   drivers ──► ZigbeeRadio (this package)
 *                  ▲ implemented by
 *      radios.scheduler.ScheduledRadio  (policy: queues, buckets, window, breaker)
 *                  │ wraps
 *      radios.znp.ZnpCoordinator        (MT semantics)
 *                  │ uses
 *      radios.znp.mt.MtSession          (SREQ/SRSP/AREQ correlation, pending table)
 *                  │ uses
 *      radios.znp.unpi                  (frames ⇄ bytes)
 *                  │
 *      radios.link.ByteLink             (serial | tcp | in-memory)
 * </pre>
 */
package io.tetheritall.hub.radios.api;
