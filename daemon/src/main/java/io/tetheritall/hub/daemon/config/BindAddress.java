package io.tetheritall.hub.daemon.config;

import java.net.InetSocketAddress;

/**
 * Where a listener binds: a host (IP literal or name) and a port; port 0 asks for an ephemeral port.
 *
 * @param host the host as written, without IPv6 brackets
 * @param port 0..65535
 */
public record BindAddress(String host, int port) {

    /** An unresolved socket address; resolving happens when the listener binds. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
