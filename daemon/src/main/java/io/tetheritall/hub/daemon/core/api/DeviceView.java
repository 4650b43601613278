package io.tetheritall.hub.daemon.core.api;

import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of one device for the uplinks.
 *
 * @param ieee          IEEE address as {@code 0x} + 16 lowercase hex digits
 * @param friendlyName  unique name, may contain '/'
 * @param nwk           current network address
 * @param type          Coordinator, Router, EndDevice
 * @param manufacturer  from the Basic cluster, null until interviewed
 * @param model         model id from the Basic cluster, null until interviewed
 * @param definition    the matched definition's description, or "generic"
 * @param powerSource   "Mains" or "Battery"
 * @param interview     PENDING, IN_PROGRESS, SUCCESSFUL, FAILED
 * @param available     whether the device is considered reachable
 * @param lastSeenMillis wall-clock millis of the last frame, 0 if never
 * @param capabilities  what can be read, set and reported
 * @param state         last known state by capability name
 * @param optimistic    capability names whose value is assumed, not confirmed by the device
 * @param options       per-device options
 */
public record DeviceView(String ieee, String friendlyName, int nwk, String type, String manufacturer, String model,
                         String definition, String powerSource, String interview, boolean available,
                         long lastSeenMillis, List<CapabilityView> capabilities, Map<String, Object> state,
                         List<String> optimistic, Map<String, Object> options) {
}
