package io.tetheritall.hub.daemon.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A file-system path. Relative paths are resolved against the working directory when used. With
 * {@code mustBeReadableFile}, the file has to exist and be readable at load time (certificates, key
 * files), so a typo is caught by {@code check-config} rather than at the first TLS handshake.
 */
public final class PathDefinition extends Definition<Path> {
    private final boolean mustBeReadableFile;

    public PathDefinition(String key, String doc, Path defaultValue, boolean mustBeReadableFile) {
        super(key, doc, defaultValue, false, false);
        this.mustBeReadableFile = mustBeReadableFile;
    }

    @Override
    protected Path parseValue(String raw) throws InvalidValueException {
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw invalid();
        }
        if (mustBeReadableFile && !(Files.isRegularFile(p) && Files.isReadable(p))) {
            throw new InvalidValueException("must be a readable file (it does not exist or cannot be read)");
        }
        return p;
    }

    @Override
    public String allowed() {
        return mustBeReadableFile ? "the path of a readable file" : "a file-system path";
    }
}
