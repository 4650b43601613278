package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.Errors;
import io.tetheritall.hub.daemon.uplink.coap.BridgeResources.GroupsResource;
import io.tetheritall.hub.daemon.uplink.coap.BridgeResources.HealthResource;
import io.tetheritall.hub.daemon.uplink.coap.BridgeResources.PermitJoinResource;
import io.tetheritall.hub.daemon.uplink.coap.DeviceResources.DeviceResource;
import io.tetheritall.hub.daemon.uplink.coap.DeviceResources.DevicesResource;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.tinylog.Logger;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The CoAP uplink (Californium, Scandium for DTLS):
 * <ul>
 *   <li>{@code /.well-known/core}: CoRE Link Format with rt, if, ct and obs</li>
 *   <li>{@code /devices}: the list; {@code /devices/{name}}: GET from the cache with ETag and
 *       Max-Age, PUT/POST sets capabilities and answers 2.04 with the confirmed state, Observe
 *       (RFC 7641) pushes every state change; {@code /devices/{name}/{capability}}: one value</li>
 *   <li>{@code /groups}, {@code /groups/{name}} (PUT sets the group), {@code /bridge/permit-join}</li>
 *   <li>{@code /bridge/health}: GET, the hub's {@link HubApi#health()} plus this uplink's counters</li>
 * </ul>
 * JSON (50) and CBOR (60) by Accept / Content-Format; a single capability also takes text/plain.
 * Errors a client can act on: 4.00 with a diagnostic payload naming the bad field, 4.03 outside the
 * ACL, 4.04, 4.05 read-only, 4.06 unsupported Accept, 4.13 oversized, 4.15 unsupported format, 4.29
 * with Max-Age over the per-client limit, 5.03 with Max-Age when the radio is unavailable, 5.04 when
 * the device does not confirm. Friendly names containing {@code /} are reachable either percent-encoded
 * in one segment or as several segments.
 *
 * <p>Per-client token buckets are keyed by DTLS PSK identity, else by peer IP address.
 */
public final class CoapUplink implements AutoCloseable {

    /** A point-in-time view of the uplink's counters. */
    public record Metrics(long requests, long rateLimited, long forbidden, long badRequests, long notFound,
                          long serverErrors, long commandsOk, long notifications, int observers, int devices) {
    }

    private static final int TEXT = MediaTypeRegistry.TEXT_PLAIN;

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
        // Never write Californium3.properties into the working directory.
        Configuration.setStandard(Configuration.createStandardWithoutFile());
    }

    private final CoapSettings settings;
    private final HubApi hub;
    private final ClientLimiter limiter;
    private final ScheduledExecutorService timer;
    private final CoapContext ctx;
    private CoapServer server;
    private DevicesResource devices;
    private GroupsResource groups;
    private AutoCloseable subscription;
    private CoapEndpoint plainEndpoint;
    private CoapEndpoint dtlsEndpoint;

    public CoapUplink(CoapSettings settings, HubApi hub, HubClock clock) {
        this.settings = settings;
        this.hub = hub;
        this.limiter = new ClientLimiter(clock, settings.limits(), settings.maxPeers());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("coap-uplink"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.ctx = new CoapContext(settings, hub, t, this::metrics);
    }

    /** Binds the endpoints and starts serving. */
    public synchronized void start() {
        Configuration cfg = configuration(settings);
        server = new CoapServer(cfg);
        server.setMessageDeliverer(new Deliverer(server.getRoot(), cfg));
        if (settings.plainEnabled()) {
            plainEndpoint = CoapEndpoint.builder().setConfiguration(cfg)
                    .setInetSocketAddress(new InetSocketAddress(settings.plainAddress(), settings.plainPort())).build();
            server.addEndpoint(plainEndpoint);
        }
        if (settings.dtlsEnabled()) {
            AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
            settings.pskByIdentity().forEach(psk::setKey);
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cfg)
                    .setAddress(new InetSocketAddress(settings.dtlsAddress(), settings.dtlsPort()))
                    .setAdvancedPskStore(psk).build();
            dtlsEndpoint = CoapEndpoint.builder().setConfiguration(cfg).setConnector(new DTLSConnector(dtls)).build();
            server.addEndpoint(dtlsEndpoint);
        }
        devices = new DevicesResource(ctx);
        groups = new GroupsResource(ctx);
        CoapResource bridge = new CoapResource("bridge");
        bridge.add(new PermitJoinResource(ctx));
        bridge.add(new HealthResource(ctx));
        server.add(devices, groups, bridge);
        devices.sync();
        groups.sync();
        subscription = hub.subscribe(this::onHubEvent);
        server.start();
        Logger.info("coap: serving{}{}", plainEndpoint == null ? "" : " coap://" + plainEndpoint.getAddress(),
                dtlsEndpoint == null ? "" : " coaps://" + dtlsEndpoint.getAddress());
    }

    /** Californium settings sized for a Raspberry Pi rather than a cloud server. */
    public static Configuration configuration(CoapSettings s) {
        Configuration cfg = Configuration.createStandardWithoutFile();
        cfg.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, s.threads());
        cfg.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        cfg.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        // The default mark-and-sweep deduplicator remembers every message for EXCHANGE_LIFETIME (247 s):
        // hundreds of MB under load. Bound it per peer and shorten the lifetime.
        cfg.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
        cfg.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, s.dedupMessagesPerPeer());
        cfg.set(CoapConfig.EXCHANGE_LIFETIME, s.exchangeLifetime().toMillis(), TimeUnit.MILLISECONDS);
        cfg.set(CoapConfig.MAX_ACTIVE_PEERS, s.maxPeers());
        cfg.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, Math.max(s.maxPayloadBytes(), 1024));
        cfg.set(CoapConfig.NOTIFICATION_CHECK_INTERVAL_COUNT, s.observeNonConfirmable() ? 100 : 1);
        cfg.set(DtlsConfig.DTLS_MAX_CONNECTIONS, s.maxPeers());
        cfg.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        cfg.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        cfg.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        return cfg;
    }

    public synchronized void stop() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                Logger.debug("coap: unsubscribe: {}", e.toString());
            }
        }
        if (server != null) {
            server.destroy();
            server = null;
        }
        timer.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound plain CoAP address, or null. */
    public InetSocketAddress plainAddress() {
        return plainEndpoint == null ? null : plainEndpoint.getAddress();
    }

    /** The bound CoAPS address, or null. */
    public InetSocketAddress dtlsAddress() {
        return dtlsEndpoint == null ? null : dtlsEndpoint.getAddress();
    }

    public Metrics metrics() {
        int obs = 0;
        int n = 0;
        DevicesResource d = devices;
        if (d != null) {
            for (DeviceResource r : d.all()) {
                n++;
                obs += r.getObserverCount();
            }
        }
        CoapContext c = ctx;
        return new Metrics(c.requests.get(), c.rateLimited.get(), c.forbidden.get(), c.badRequests.get(),
                c.notFound.get(), c.serverErrors.get(), c.commandsOk.get(), c.notifications.get(), obs, n);
    }

    // ---------------------------------------------------------------- events

    private void later(Runnable r) {
        try {
            timer.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "coap: resource sync failed");
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Logger.debug("coap: stopped, dropped a sync");
        }
    }

    private void onHubEvent(HubEvent e) {
        try {
            switch (e.type()) {
                case STATE -> {
                    DeviceResource r = devices.device(e.device());
                    if (r != null) {
                        r.update(e.data());
                    }
                }
                // These call back into the hub (devices(), groups()): do that on our own thread, not
                // on the hub's dispatching one. STATE above is cheap and stays in order with GETs.
                case AVAILABILITY, DEVICES_CHANGED, DEVICE_RENAMED, DEVICE_REMOVED, DEVICE_JOINED,
                        INTERVIEW_SUCCESSFUL -> later(devices::sync);
                case GROUPS_CHANGED -> later(groups::sync);
                default -> {
                }
            }
        } catch (RuntimeException ex) {
            Logger.error(ex, "coap: hub event {} failed", e);
        }
    }

    /** Applies the per-client limit before routing. */
    private final class Deliverer extends ServerMessageDeliverer {
        Deliverer(Resource root, Configuration cfg) {
            super(root, cfg);
        }

        @Override
        protected boolean preDeliverRequest(Exchange exchange) {
            ctx.requests.incrementAndGet();
            if (!settings.limits().enabled()) {
                return false;
            }
            Request req = exchange.getRequest();
            long wait = limiter.tryAcquire(CoapContext.peer(req.getSourceContext()).key());
            if (wait == 0) {
                return false;
            }
            ctx.rateLimited.incrementAndGet();
            Response r = new Response(ResponseCode.TOO_MANY_REQUESTS);
            r.getOptions().setMaxAge(Errors.retrySeconds(wait));
            r.setPayload("rate limit exceeded (" + settings.limits().perSecond() + "/s, burst " + settings.limits().burst()
                    + ", " + settings.limits().perMinute() + "/min); retry after " + wait + " ms");
            r.getOptions().setContentFormat(TEXT);
            exchange.sendResponse(r);
            return true;
        }
    }

    /** 8 bytes of a 64-bit FNV-1a hash of the representation: equal state, equal ETag. */
    static byte[] etag(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) h;
            h >>>= 8;
        }
        return out;
    }

    /** For tests: the endpoints. */
    List<Endpoint> endpoints() {
        return server == null ? List.of() : server.getEndpoints();
    }
}
