package io.tetheritall.hub.radios.znp;

import java.util.Optional;

/**
 * Keeps the generated network parameters across restarts. A coordinator that finds nothing stored
 * either adopts the network already on the stick or generates one (once) and saves it here.
 */
public interface NetworkParamsStore {

    /** The stored parameters, if any. */
    Optional<NetworkParams> load();

    /** Stores {@code params}, durably, before the coordinator writes them to the stick. */
    void save(NetworkParams params);

    /** A store in memory, for tests and simulate mode. */
    static NetworkParamsStore inMemory() {
        return new InMemoryNetworkParamsStore();
    }
}
