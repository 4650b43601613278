package io.tetheritall.hub.daemon.core.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Devices and groups in one JSON file ({@code <stateDir>/devices.json}), rewritten atomically:
 * written to a temporary file, forced to disk, then renamed over the old one, so a crash or power
 * cut leaves either the old or the new file, never half of one.
 *
 * <p>Saves are buffered in memory; {@link #flush()} writes the file if anything changed. The hub
 * flushes on structural changes (join, interview, rename, remove) at once and debounces state
 * changes, to spare an SD card.
 */
public final class JsonFileDeviceRepository extends InMemoryDeviceRepository {
    /** The file's top-level shape. */
    public record Snapshot(int version, List<StoredDevice> devices, List<StoredGroup> groups) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private boolean dirty;

    /** Opens (and reads, if present) {@code stateDir/devices.json}; creates the directory if needed. */
    public JsonFileDeviceRepository(Path stateDir) {
        this.file = stateDir.resolve("devices.json");
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                Snapshot s = JSON.readValue(file.toFile(), Snapshot.class);
                if (s.devices() != null) {
                    s.devices().forEach(d -> devices.put(d.ieee(), d));
                }
                if (s.groups() != null) {
                    s.groups().forEach(g -> groups.put(g.name(), g));
                }
                Logger.info("{}: loaded {} devices and {} groups", file, devices.size(), groups.size());
            }
        } catch (IOException e) {
            // A corrupt file must not stop the hub, but must not be overwritten silently either.
            Path aside = stateDir.resolve("devices.json.corrupt-" + System.currentTimeMillis());
            Logger.error(e, "{}: cannot read, moving it aside to {}", file, aside);
            try {
                Files.move(file, aside);
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot move aside corrupt " + file, e2);
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void saveDevice(StoredDevice device) {
        super.saveDevice(device);
        dirty = true;
    }

    @Override
    public synchronized void deleteDevice(String ieee) {
        super.deleteDevice(ieee);
        dirty = true;
    }

    @Override
    public synchronized void saveGroup(StoredGroup group) {
        super.saveGroup(group);
        dirty = true;
    }

    @Override
    public synchronized void deleteGroup(String name) {
        super.deleteGroup(name);
        dirty = true;
    }

    @Override
    public synchronized void flush() {
        if (!dirty) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(new Snapshot(1, new ArrayList<>(devices.values()),
                    new ArrayList<>(groups.values())));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            dirty = false;
        } catch (IOException e) {
            // Keep dirty: the next flush tries again; state stays in memory.
            Logger.error(e, "{}: cannot write devices", file);
        }
    }
}
