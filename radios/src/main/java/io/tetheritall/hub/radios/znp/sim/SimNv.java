package io.tetheritall.hub.radios.znp.sim;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stick's NV memory: legacy OSAL items (16-bit id) and the CC26xx extended items
 * (sysId, itemId, subId), plus simulator-private records (joined devices) that a restarted
 * simulator needs. Optionally persisted to a text file, rewritten atomically (temp file + rename)
 * on every change so a killed process never leaves half a file. Not thread-safe: the simulator
 * calls it under its own lock.
 */
final class SimNv {
    private static final HexFormat HEX = HexFormat.of();

    private final Map<Integer, byte[]> items = new TreeMap<>();
    private final Map<String, byte[]> ext = new TreeMap<>();
    private final Map<String, String> records = new TreeMap<>();
    private final Path file;
    long writes;

    SimNv(Path file) {
        this.file = file;
    }

    /** Loads the file if there is one; returns whether it existed. A damaged line is logged and skipped. */
    boolean load() {
        if (file == null || !Files.exists(file)) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split(" ", 2);
                if (f.length < 2 || f[0].startsWith("#")) {
                    continue;
                }
                try {
                    switch (f[0]) {
                        case "nv" -> {
                            String[] p = f[1].split(" ");
                            items.put(Integer.parseInt(p[0], 16), p.length > 1 ? HEX.parseHex(p[1]) : new byte[0]);
                        }
                        case "ex" -> {
                            String[] p = f[1].split(" ");
                            ext.put(p[0], p.length > 1 ? HEX.parseHex(p[1]) : new byte[0]);
                        }
                        case "rec" -> {
                            String[] p = f[1].split(" ", 2);
                            records.put(p[0], p.length > 1 ? p[1] : "");
                        }
                        default -> Logger.warn("NV file {}: unknown line '{}'", file, line);
                    }
                } catch (RuntimeException e) {
                    Logger.warn("NV file {}: bad line '{}' skipped: {}", file, line, e.toString());
                }
            }
            return true;
        } catch (IOException e) {
            Logger.warn("NV file {} unreadable, starting blank: {}", file, e.toString());
            return false;
        }
    }

    void save() {
        writes++;
        if (file == null) {
            return;
        }
        List<String> out = new ArrayList<>();
        out.add("# Tetheritall ZNP simulator NV v1");
        items.forEach((id, v) -> out.add(String.format("nv %04x %s", id, HEX.formatHex(v))));
        ext.forEach((k, v) -> out.add("ex " + k + " " + HEX.formatHex(v)));
        records.forEach((k, v) -> out.add("rec " + k + " " + v));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.write(tmp, out, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Logger.error("NV file {} not written: {}", file, e.toString());
        }
    }

    byte[] get(int id) {
        return items.get(id);
    }

    boolean has(int id) {
        return items.containsKey(id);
    }

    void put(int id, byte[] value) {
        items.put(id, value.clone());
        save();
    }

    boolean delete(int id) {
        boolean had = items.remove(id) != null;
        if (had) {
            save();
        }
        return had;
    }

    static String extKey(int sysId, int itemId, int subId) {
        return String.format("%02x:%04x:%04x", sysId, itemId, subId);
    }

    byte[] getExt(int sysId, int itemId, int subId) {
        return ext.get(extKey(sysId, itemId, subId));
    }

    void putExt(int sysId, int itemId, int subId, byte[] v) {
        ext.put(extKey(sysId, itemId, subId), v.clone());
        save();
    }

    boolean deleteExt(int sysId, int itemId, int subId) {
        boolean had = ext.remove(extKey(sysId, itemId, subId)) != null;
        if (had) {
            save();
        }
        return had;
    }

    String record(String key) {
        return records.get(key);
    }

    Map<String, String> records() {
        return records;
    }

    void putRecord(String key, String value) {
        if (value == null) {
            records.remove(key);
        } else {
            records.put(key, value);
        }
        save();
    }
}
