package io.tetheritall.hub.daemon.core.registry;

import java.util.List;

/**
 * Where the hub keeps devices and groups across restarts. Deliberately narrow so the store
 * module's Chronicle/MapDB cache can replace the JSON-file implementation.
 *
 * <p>Implementations are thread-safe. {@code save*} may buffer; {@link #flush()} makes
 * everything saved so far durable; {@link #close()} flushes.
 */
public interface DeviceRepository extends AutoCloseable {

    List<StoredDevice> loadDevices();

    List<StoredGroup> loadGroups();

    /** Inserts or replaces the device with the same IEEE address. */
    void saveDevice(StoredDevice device);

    void deleteDevice(String ieee);

    /** Inserts or replaces the group with the same name. */
    void saveGroup(StoredGroup group);

    void deleteGroup(String name);

    /** Makes every save so far durable. */
    void flush();

    @Override
    void close();
}
