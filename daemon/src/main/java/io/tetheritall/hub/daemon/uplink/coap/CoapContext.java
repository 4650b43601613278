package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.HubApi;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the uplink's resources share with it: the settings, the hub, the timer that bounds a command's
 * wait, the counters behind {@link CoapUplink#metrics()}, and who a request comes from (its ACL).
 */
final class CoapContext {
    final CoapSettings settings;
    final HubApi hub;
    final ScheduledExecutorService timer;
    private final Supplier<CoapUplink.Metrics> metrics;

    final AtomicLong requests = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final AtomicLong forbidden = new AtomicLong();
    final AtomicLong badRequests = new AtomicLong();
    final AtomicLong notFound = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong commandsOk = new AtomicLong();
    final AtomicLong notifications = new AtomicLong();

    CoapContext(CoapSettings settings, HubApi hub, ScheduledExecutorService timer,
                Supplier<CoapUplink.Metrics> metrics) {
        this.settings = settings;
        this.hub = hub;
        this.timer = timer;
        this.metrics = metrics;
    }

    /** The uplink's counters now. */
    CoapUplink.Metrics metrics() {
        return metrics.get();
    }

    /** Who is asking: DTLS identity if any, else the peer address. */
    record Peer(String identity, InetSocketAddress address) {
        String key() {
            return identity != null ? "psk:" + identity : "ip:" + address.getAddress().getHostAddress();
        }
    }

    static Peer peer(EndpointContext ctx) {
        Principal p = ctx.getPeerIdentity();
        String id = p instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : p != null ? p.getName() : null;
        return new Peer(id, ctx.getPeerAddress());
    }

    CoapSettings.Acl acl(Peer p) {
        if (p.identity() != null) {
            return settings.aclByIdentity().getOrDefault(p.identity(), CoapSettings.Acl.NONE);
        }
        return settings.plainAcl();
    }
}
