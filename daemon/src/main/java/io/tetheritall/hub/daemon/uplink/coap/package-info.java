/**
 * The CoAP uplink over Californium (plain UDP, loopback by default) and Scandium (DTLS 1.2 with
 * pre-shared keys per identity and an ACL per identity).
 *
 * <pre>
 *  UDP / DTLS endpoint ─ Californium stack (dedup bounded per peer, short exchange lifetime)
 *     └─ Deliverer.preDeliverRequest: per-client token bucket → 4.29 + Max-Age
 *          └─ /devices[/{name}[/{capability}]], /groups[/{name}], /bridge/permit-join
 *               GET: cached snapshot (JSON/CBOR bytes, ETag) — never touches a radio
 *               PUT/POST: HubApi.set → 2.04 with the confirmed state, or 4.xx/5.xx with a reason
 *               Observe: HubEvent.STATE → changed() → one notification per observer
 * </pre>
 *
 * Classes: {@code CoapUplink} (endpoints, rate limit, hub events, metrics); {@code DeviceResources}
 * ({@code /devices}) and {@code BridgeResources} ({@code /groups}, {@code /bridge}) on
 * {@code HubResource} (request prelude, JSON/CBOR negotiation, body parsing, command deadline, error
 * answers); {@code CoapContext} (settings, hub, counters, ACL lookup) shared by all of them.
 */
package io.tetheritall.hub.daemon.uplink.coap;
