package io.tetheritall.hub.radios.znp;

import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;

import java.io.IOException;

/**
 * Stands in for the ReconnectingLink: keeps the listener given at open and, on {@link #reopen()},
 * opens the in-memory end again with the same listener, so the session sees DOWN then UP.
 */
final class ReopenableLink implements ByteLink {
    final InMemoryLink inner;
    private volatile Listener listener;

    ReopenableLink(InMemoryLink inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void open(Listener l) throws IOException {
        listener = l;
        inner.open(l);
    }

    void reopen() throws IOException {
        inner.open(listener);
    }

    @Override
    public void write(byte[] data) throws IOException {
        inner.write(data);
    }

    @Override
    public boolean isUp() {
        return inner.isUp();
    }

    @Override
    public void close() {
        inner.close();
    }
}
