package io.tetheritall.hub.daemon.core.registry;

import java.util.List;
import java.util.Map;

/**
 * A paired device as persisted: everything needed to use it after a restart without re-pairing.
 * JSON-friendly (plain records, lists and maps).
 *
 * @param ieee             {@code 0x} + 16 hex digits
 * @param nwk              last known network address
 * @param friendlyName     unique name
 * @param type             Coordinator, Router, EndDevice or Unknown
 * @param manufacturerCode from the node descriptor, -1 if unknown
 * @param powerSource      Mains, Battery, DC or Unknown
 * @param manufacturer     Basic manufacturerName, null until interviewed
 * @param model            Basic modelIdentifier, null until interviewed
 * @param endpoints        simple descriptors
 * @param interview        PENDING, IN_PROGRESS, SUCCESSFUL, FAILED
 * @param attributes       attribute cache: {@code "0xCCCC/0xAAAA"} → {type id, value}
 * @param state            last known state by capability
 * @param optimistic       capability names whose state is assumed
 * @param options          per-device options
 * @param lastSeenMillis   wall-clock millis of the last frame
 * @param available        whether it was considered reachable
 */
public record StoredDevice(String ieee, int nwk, String friendlyName, String type, int manufacturerCode,
                           String powerSource, String manufacturer, String model, List<StoredEndpoint> endpoints,
                           String interview, Map<String, StoredAttribute> attributes, Map<String, Object> state,
                           List<String> optimistic, Map<String, Object> options, long lastSeenMillis,
                           boolean available) {

    /** One endpoint's simple descriptor. */
    public record StoredEndpoint(int endpoint, int profileId, int deviceId, List<Integer> inputClusters,
                                 List<Integer> outputClusters) {
    }

    /** A cached attribute value: the ZCL type id and a JSON-friendly value. */
    public record StoredAttribute(int type, Object value) {
    }
}
