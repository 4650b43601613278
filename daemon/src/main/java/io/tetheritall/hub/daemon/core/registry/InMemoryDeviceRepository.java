package io.tetheritall.hub.daemon.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A repository that keeps nothing across processes; for tests and for running without a state dir. */
public class InMemoryDeviceRepository implements DeviceRepository {
    protected final Map<String, StoredDevice> devices = new LinkedHashMap<>();
    protected final Map<String, StoredGroup> groups = new LinkedHashMap<>();

    @Override
    public synchronized List<StoredDevice> loadDevices() {
        return new ArrayList<>(devices.values());
    }

    @Override
    public synchronized List<StoredGroup> loadGroups() {
        return new ArrayList<>(groups.values());
    }

    @Override
    public synchronized void saveDevice(StoredDevice device) {
        devices.put(device.ieee(), device);
    }

    @Override
    public synchronized void deleteDevice(String ieee) {
        devices.remove(ieee);
    }

    @Override
    public synchronized void saveGroup(StoredGroup group) {
        groups.put(group.name(), group);
    }

    @Override
    public synchronized void deleteGroup(String name) {
        groups.remove(name);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        flush();
    }
}
