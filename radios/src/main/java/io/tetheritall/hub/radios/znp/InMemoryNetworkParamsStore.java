package io.tetheritall.hub.radios.znp;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps network parameters in memory; counts saves so tests can check "generated once". */
public final class InMemoryNetworkParamsStore implements NetworkParamsStore {
    private final AtomicReference<NetworkParams> params = new AtomicReference<>();
    private final AtomicInteger saves = new AtomicInteger();

    public InMemoryNetworkParamsStore() {
    }

    public InMemoryNetworkParamsStore(NetworkParams initial) {
        params.set(initial);
    }

    @Override
    public Optional<NetworkParams> load() {
        return Optional.ofNullable(params.get());
    }

    @Override
    public void save(NetworkParams p) {
        params.set(p);
        saves.incrementAndGet();
    }

    /** How many times {@link #save} was called. */
    public int saves() {
        return saves.get();
    }
}
