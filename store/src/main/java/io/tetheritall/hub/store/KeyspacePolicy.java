package io.tetheritall.hub.store;

import java.util.Objects;

/**
 * Per-keyspace defaults. A key's keyspace is the text before its first {@code ':'} ({@code "registry:0x00124b..."}
 * is in keyspace {@code registry}); calls that name no layer or write mode use the keyspace's.
 *
 * @param layer     the layers used by default
 * @param writeMode how writes reach L2
 */
public record KeyspacePolicy(Layer layer, WriteMode writeMode) {
    public KeyspacePolicy {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(writeMode, "writeMode");
    }

    /** Both layers, write-behind: device state and other chatty values. */
    public static final KeyspacePolicy DEFAULT = new KeyspacePolicy(Layer.BOTH, WriteMode.WRITE_BEHIND);
}
