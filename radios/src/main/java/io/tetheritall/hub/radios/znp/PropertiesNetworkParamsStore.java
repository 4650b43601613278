package io.tetheritall.hub.radios.znp;

import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Stores network parameters in a small properties file ({@code <stateDir>/<radioId>-network.properties}),
 * written to a temporary file and moved into place so a power cut leaves the old or the new file,
 * never half of one. The file holds the network key, so it is made readable by the owner only
 * where the file system allows it.
 *
 * <p>A file that cannot be parsed is not silently replaced (that would re-form the network and
 * orphan every device): {@link #load()} throws, and an operator must look.
 */
public final class PropertiesNetworkParamsStore implements NetworkParamsStore {
    private final Path file;

    public PropertiesNetworkParamsStore(Path stateDir, String radioId) {
        this.file = stateDir.resolve(radioId + "-network.properties");
    }

    /** The file this store reads and writes. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<NetworkParams> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            int channel = Integer.parseInt(p.getProperty("channel").trim());
            int pan = Integer.parseInt(p.getProperty("panId").trim(), 16);
            long ext = Long.parseUnsignedLong(p.getProperty("extendedPanId").trim(), 16);
            byte[] key = HexFormat.of().parseHex(p.getProperty("networkKey").trim());
            return Optional.of(new NetworkParams(channel, pan, ext, key));
        } catch (RuntimeException e) {
            throw new IllegalStateException("network parameters in " + file + " are damaged (" + e
                    + "); fix or remove the file by hand, removing it means re-pairing every device", e);
        }
    }

    @Override
    public void save(NetworkParams params) {
        Properties p = new Properties();
        p.setProperty("channel", Integer.toString(params.channel()));
        p.setProperty("panId", String.format("%04x", params.panId()));
        p.setProperty("extendedPanId", HexFormat.of().toHexDigits(params.extendedPanId()));
        p.setProperty("networkKey", HexFormat.of().formatHex(params.networkKey()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Zigbee network parameters: changing them means re-pairing every device");
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                Logger.debug("no POSIX permissions on {}", tmp);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
