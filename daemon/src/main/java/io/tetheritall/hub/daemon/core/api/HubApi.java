package io.tetheritall.hub.daemon.core.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the uplinks may ask of the hub. All methods are thread-safe and non-blocking: anything
 * that touches a radio returns a future that completes when the device confirms, or fails with
 * {@link CommandException} carrying a {@link CommandError}.
 */
public interface HubApi {

    /** Every paired device, in a stable order (by friendly name). */
    List<DeviceView> devices();

    /** One device by friendly name or by IEEE address ({@code 0x00124b0012345678}). */
    Optional<DeviceView> device(String nameOrIeee);

    /** Every group. */
    List<GroupView> groups();

    Optional<GroupView> group(String name);

    /**
     * Sets capability values on a device, e.g. {@code {"state":"ON","brightness":120}}. Values are
     * validated against the device's capabilities before anything is sent; the future completes
     * with the device's confirmed (or, where it cannot confirm, optimistic) state.
     *
     * @param clientId who asked (MQTT client id or CoAP identity/peer), for per-client limits; may be null
     */
    CompletableFuture<Map<String, Object>> set(String nameOrIeee, Map<String, Object> values, String clientId);

    /** Reads the named capabilities from the device now (empty: every readable one). */
    CompletableFuture<Map<String, Object>> get(String nameOrIeee, List<String> capabilities, String clientId);

    /** Sets capability values on every member of a group with one group send. */
    CompletableFuture<Map<String, Object>> setGroup(String groupName, Map<String, Object> values, String clientId);

    /** Opens joining for {@code duration} (zero closes), network-wide or via one router (name or null). */
    CompletableFuture<Void> permitJoin(Duration duration, String viaDevice);

    /** Renames a device; fails with {@link CommandError#INVALID_VALUE} if the name is taken or malformed. */
    CompletableFuture<DeviceView> rename(String nameOrIeee, String newName);

    /** Removes a device; {@code force} drops it from the registry even if it does not answer. */
    CompletableFuture<Void> remove(String nameOrIeee, boolean force);

    /** Sets per-device options (e.g. {@code retain}, {@code optimistic}); returns the new options. */
    CompletableFuture<Map<String, Object>> setOptions(String nameOrIeee, Map<String, Object> options);

    CompletableFuture<GroupView> addGroup(String name, Integer groupId);

    CompletableFuture<Void> removeGroup(String name);

    CompletableFuture<GroupView> addGroupMember(String group, String device, Integer endpoint);

    CompletableFuture<GroupView> removeGroupMember(String group, String device, Integer endpoint);

    /** Subscribes to state changes and lifecycle events; returns a handle to unsubscribe. */
    AutoCloseable subscribe(Consumer<HubEvent> listener);

    /** A snapshot of the hub's health (radios, store, limits), JSON-ready. */
    Map<String, Object> health();

    /** Static facts about the hub: version, coordinator, network, for {@code bridge/info}. */
    Map<String, Object> info();
}
