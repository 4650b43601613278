package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.Errors;
import io.tetheritall.hub.daemon.uplink.Values;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.tinylog.Logger;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

    private static final int JSON = MediaTypeRegistry.APPLICATION_JSON;
    private static final int CBOR = MediaTypeRegistry.APPLICATION_CBOR;
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
    private CoapServer server;
    private DevicesResource devices;
    private GroupsResource groups;
    private AutoCloseable subscription;
    private CoapEndpoint plainEndpoint;
    private CoapEndpoint dtlsEndpoint;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong forbidden = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong notFound = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong commandsOk = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();

    public CoapUplink(CoapSettings settings, HubApi hub, HubClock clock) {
        this.settings = settings;
        this.hub = hub;
        this.limiter = new ClientLimiter(clock, settings.limits(), settings.maxPeers());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("coap-uplink"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
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
        devices = new DevicesResource();
        groups = new GroupsResource();
        CoapResource bridge = new CoapResource("bridge");
        bridge.add(new PermitJoinResource());
        bridge.add(new HealthResource());
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
        return new Metrics(requests.get(), rateLimited.get(), forbidden.get(), badRequests.get(), notFound.get(),
                serverErrors.get(), commandsOk.get(), notifications.get(), obs, n);
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

    // ---------------------------------------------------------------- request plumbing

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

    private CoapSettings.Acl acl(Peer p) {
        if (p.identity() != null) {
            return settings.aclByIdentity().getOrDefault(p.identity(), CoapSettings.Acl.NONE);
        }
        return settings.plainAcl();
    }

    /** Applies the per-client limit before routing. */
    private final class Deliverer extends ServerMessageDeliverer {
        Deliverer(Resource root, Configuration cfg) {
            super(root, cfg);
        }

        @Override
        protected boolean preDeliverRequest(Exchange exchange) {
            requests.incrementAndGet();
            if (!settings.limits().enabled()) {
                return false;
            }
            Request req = exchange.getRequest();
            long wait = limiter.tryAcquire(peer(req.getSourceContext()).key());
            if (wait == 0) {
                return false;
            }
            rateLimited.incrementAndGet();
            Response r = new Response(ResponseCode.TOO_MANY_REQUESTS);
            r.getOptions().setMaxAge(Errors.retrySeconds(wait));
            r.setPayload("rate limit exceeded (" + settings.limits().perSecond() + "/s, burst " + settings.limits().burst()
                    + ", " + settings.limits().perMinute() + "/min); retry after " + wait + " ms");
            r.getOptions().setContentFormat(TEXT);
            exchange.sendResponse(r);
            return true;
        }
    }

    /** A PUT/POST that passed the prelude: the response format and the parsed body. */
    private record Write(int format, Object body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) body;
        }
    }

    /** Base of our resources: content negotiation, parsing, error answers. */
    private abstract class Base extends CoapResource {
        Base(String name) {
            super(name);
        }

        /**
         * The prelude of every handler: the ACL check for {@code aclName} (none if null), then Accept
         * negotiation. The response format, or a negative value after answering 4.03 or 4.06.
         */
        int negotiate(CoapExchange ex, String aclName, boolean write, boolean textOk) {
            if (aclName != null && !allowed(ex, aclName, write)) {
                return -1;
            }
            return accept(ex, textOk);
        }

        /**
         * The prelude of a PUT/POST: write access to {@code aclName}, Accept, then the body. Null after
         * answering (4.03, 4.06, 4.13, 4.15, 4.00), or when the body parses to nothing.
         */
        Write write(CoapExchange ex, String aclName, boolean textOk, boolean objectOnly) {
            int f = negotiate(ex, aclName, true, textOk);
            if (f < 0) {
                return null;
            }
            Object body = body(ex, textOk, objectOnly);
            return body == null ? null : new Write(f, body);
        }

        /** Counts and answers a client error with a text diagnostic. */
        void reject(CoapExchange ex, AtomicLong counter, ResponseCode code, String message) {
            counter.incrementAndGet();
            ex.respond(code, message, TEXT);
        }

        /** 2.05 with a representation and Max-Age. */
        Response content(byte[] payload, int format, long maxAgeSeconds) {
            Response r = new Response(ResponseCode.CONTENT);
            r.setPayload(payload);
            r.getOptions().setContentFormat(format);
            r.getOptions().setMaxAge(maxAgeSeconds);
            return r;
        }

        /** The response format for this request, or -2 after answering 4.06. */
        int accept(CoapExchange ex, boolean textOk) {
            int a = ex.getRequestOptions().getAccept();
            if (a == MediaTypeRegistry.UNDEFINED || a == JSON || a == CBOR || (textOk && a == TEXT)) {
                return a == MediaTypeRegistry.UNDEFINED ? JSON : a;
            }
            reject(ex, badRequests, ResponseCode.NOT_ACCEPTABLE, "Accept " + a
                    + " is not supported; use 50 (JSON) or 60 (CBOR)" + (textOk ? " or 0 (text)" : ""));
            return -2;
        }

        byte[] encode(Object v, int format) {
            if (format == CBOR) {
                return Values.cbor(v);
            }
            if (format == TEXT) {
                return String.valueOf(v).getBytes(StandardCharsets.UTF_8);
            }
            return Values.json(v);
        }

        /** Parses the request body; answers 4.13/4.15/4.00 and returns null if it cannot. */
        Object body(CoapExchange ex, boolean textOk, boolean objectOnly) {
            byte[] p = ex.getRequestPayload();
            if (p.length > settings.maxPayloadBytes()) {
                badRequests.incrementAndGet();
                Response r = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
                r.getOptions().setSize1(settings.maxPayloadBytes());
                r.setPayload("payload of " + p.length + " bytes exceeds the limit of " + settings.maxPayloadBytes() + " bytes");
                ex.respond(r);
                return null;
            }
            int cf = ex.getRequestOptions().getContentFormat();
            try {
                if (cf == MediaTypeRegistry.UNDEFINED || cf == JSON) {
                    return objectOnly ? Values.parseJsonObject(p) : Values.parseJsonValue(p);
                }
                if (cf == CBOR) {
                    return objectOnly ? Values.parseCborObject(p) : Values.parseCborValue(p);
                }
                if (cf == TEXT && textOk) {
                    return Values.parsePlain(p);
                }
            } catch (Values.BadPayloadException e) {
                reject(ex, badRequests, ResponseCode.BAD_REQUEST, e.getMessage());
                return null;
            }
            reject(ex, badRequests, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "Content-Format " + cf
                    + " is not supported; use 50 (JSON) or 60 (CBOR)" + (textOk ? " or 0 (text)" : ""));
            return null;
        }

        boolean allowed(CoapExchange ex, String device, boolean write) {
            EndpointContext ctx = ex.advanced().getRequest().getSourceContext();
            if (ctx.getPeerIdentity() == null && settings.plainAcl() == CoapSettings.Acl.ALL) {
                return true; // the common loopback case, without allocating on the GET hot path
            }
            CoapSettings.Acl acl = acl(peer(ctx));
            if (write ? acl.mayWrite(device) : acl.mayRead(device)) {
                return true;
            }
            reject(ex, forbidden, ResponseCode.FORBIDDEN,
                    (write ? "write" : "read") + " access to '" + device + "' is not granted");
            return false;
        }

        String client(CoapExchange ex) {
            return "coap:" + peer(ex.advanced().getRequest().getSourceContext()).key();
        }

        /** Runs a hub command and answers with {@code ok} or the mapped error, never waiting on a thread. */
        <T> void command(CoapExchange ex, CompletableFuture<T> f, int format, java.util.function.Function<T, Object> body) {
            if (!f.isDone() && ex.advanced().getRequest().isConfirmable()) {
                ex.accept(); // empty ACK now, separate response later: the client stops retransmitting
            }
            CompletableFuture<T> out = new CompletableFuture<>();
            long ms = settings.commandTimeout().toMillis();
            ScheduledFuture<?> t = f.isDone() ? null : timer.schedule(() -> out.completeExceptionally(
                    new CommandException(CommandError.TIMEOUT, "not confirmed within " + ms + " ms")), ms, TimeUnit.MILLISECONDS);
            f.whenComplete((v, e) -> {
                if (t != null) {
                    t.cancel(false);
                }
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            });
            out.whenComplete((v, e) -> {
                if (e != null) {
                    error(ex, Errors.of(e));
                } else {
                    commandsOk.incrementAndGet();
                    ex.respond(ResponseCode.CHANGED, encode(body.apply(v), format), format);
                }
            });
        }

        void error(CoapExchange ex, CommandException e) {
            ResponseCode code = switch (e.error()) {
                case NOT_FOUND -> ResponseCode.NOT_FOUND;
                case INVALID_VALUE -> ResponseCode.BAD_REQUEST;
                case NOT_ALLOWED -> ResponseCode.METHOD_NOT_ALLOWED;
                case RATE_LIMITED -> ResponseCode.TOO_MANY_REQUESTS;
                case RADIO_UNAVAILABLE, DEVICE_UNAVAILABLE -> ResponseCode.SERVICE_UNAVAILABLE;
                case TIMEOUT -> ResponseCode.GATEWAY_TIMEOUT;
                case INTERNAL -> ResponseCode.INTERNAL_SERVER_ERROR;
            };
            if (code.codeClass == CoAP.CodeClass.SERVER_ERROR_RESPONSE.value) {
                serverErrors.incrementAndGet();
            } else if (code == ResponseCode.NOT_FOUND) {
                notFound.incrementAndGet();
            } else {
                badRequests.incrementAndGet();
            }
            Response r = new Response(code);
            if (e.retryAfterMillis() > 0 || code == ResponseCode.SERVICE_UNAVAILABLE || code == ResponseCode.TOO_MANY_REQUESTS) {
                r.getOptions().setMaxAge(Errors.retrySeconds(Math.max(1000, e.retryAfterMillis())));
            }
            r.setPayload(Errors.text(e));
            r.getOptions().setContentFormat(TEXT);
            ex.respond(r);
        }
    }

    /** A resource that takes PUT and POST alike: both set state (the hub's commands are idempotent sets). */
    private abstract class WritableBase extends Base {
        WritableBase(String name) {
            super(name);
        }

        @Override
        public final void handlePUT(CoapExchange ex) {
            set(ex);
        }

        @Override
        public final void handlePOST(CoapExchange ex) {
            set(ex);
        }

        abstract void set(CoapExchange ex);
    }

    // ---------------------------------------------------------------- resources

    /**
     * {@code /devices}. Californium does not allow '/' in a resource name, so a device named
     * {@code kitchen/temp} lives at {@code /devices/kitchen/temp} under a {@link FolderResource}
     * {@code kitchen}; it is also reachable percent-encoded as one segment ({@code kitchen%2Ftemp}).
     */
    private final class DevicesResource extends Base {
        private final Map<String, DeviceResource> byName = new java.util.concurrent.ConcurrentHashMap<>();

        DevicesResource() {
            super("devices");
            getAttributes().setTitle("Devices");
            getAttributes().addResourceType("tetheritall.devices");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        DeviceResource device(String name) {
            return byName.get(name);
        }

        java.util.Collection<DeviceResource> all() {
            return byName.values();
        }

        @Override
        public Resource getChild(String name) {
            if (name.indexOf('/') >= 0) {
                return byName.get(name);
            }
            return super.getChild(name);
        }

        synchronized void sync() {
            Set<String> present = new HashSet<>();
            for (DeviceView d : hub.devices()) {
                present.add(d.friendlyName());
                DeviceResource r = byName.get(d.friendlyName());
                if (r == null || !r.ieee.equals(d.ieee())) {
                    if (r != null) {
                        r.delete();
                    }
                    DeviceResource n = new DeviceResource(d);
                    parentFor(d.friendlyName()).add(n);
                    byName.put(d.friendlyName(), n);
                } else {
                    r.refresh(d);
                }
            }
            for (String name : new ArrayList<>(byName.keySet())) {
                if (!present.contains(name)) {
                    // delete() tells the observers with 4.04 and drops the relations.
                    byName.remove(name).delete();
                }
            }
        }

        private CoapResource parentFor(String name) {
            CoapResource current = this;
            String[] seg = name.split("/");
            for (int i = 0; i < seg.length - 1; i++) {
                Resource next = current.getChild(seg[i]);
                if (next == null) {
                    next = new FolderResource(seg[i]);
                    current.add((CoapResource) next);
                }
                current = (CoapResource) next;
            }
            return current;
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, null, false, false);
            if (f < 0) {
                return;
            }
            CoapSettings.Acl acl = acl(peer(ex.advanced().getRequest().getSourceContext()));
            List<Object> list = new ArrayList<>();
            for (DeviceResource d : new java.util.TreeMap<>(byName).values()) {
                if (!acl.mayRead(d.name)) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", d.name);
                m.put("ieee", d.ieee);
                m.put("available", d.snapshot.available);
                m.put("capabilities", d.snapshot.capNames);
                list.add(m);
            }
            ex.respond(ResponseCode.CONTENT, encode(list, f), f);
        }
    }

    /** A path level of friendly names with '/', e.g. {@code kitchen} in {@code kitchen/temp}. */
    private final class FolderResource extends Base {
        FolderResource(String name) {
            super(name);
            setVisible(false);
        }

        @Override
        public void handleGET(CoapExchange ex) {
            reject(ex, notFound, ResponseCode.NOT_FOUND, "no device '" + getURI().substring("/devices/".length()) + "'");
        }
    }

    /** What a device resource answers GETs from, replaced whole on each change. */
    private record Snapshot(Map<String, Object> state, byte[] json, byte[] cbor, byte[] etag, boolean available,
                            List<String> capNames, Map<String, CapabilityView> caps) {
    }

    private final class DeviceResource extends WritableBase {
        final String ieee;
        final String name;
        volatile Snapshot snapshot;

        DeviceResource(DeviceView d) {
            super(d.friendlyName().substring(d.friendlyName().lastIndexOf('/') + 1));
            this.name = d.friendlyName();
            this.ieee = d.ieee();
            setObservable(true);
            setObserveType(settings.observeNonConfirmable() ? CoAP.Type.NON : CoAP.Type.CON);
            getAttributes().setObservable();
            getAttributes().addResourceType("tetheritall.device");
            boolean actuator = d.capabilities().stream().anyMatch(CapabilityView::settable);
            getAttributes().addInterfaceDescription(actuator ? "core.a" : "core.s");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
            snapshot = snapshot(d, d.state());
        }

        private Snapshot snapshot(DeviceView d, Map<String, Object> state) {
            byte[] json = Values.json(state);
            Map<String, CapabilityView> caps = new LinkedHashMap<>();
            for (CapabilityView c : d.capabilities()) {
                caps.put(c.name(), c);
            }
            return new Snapshot(state, json, Values.cbor(state), etag(json), d.available(), List.copyOf(caps.keySet()), caps);
        }

        void refresh(DeviceView d) {
            Snapshot old = snapshot;
            snapshot = snapshot(d, d.state());
            if (!java.util.Arrays.equals(old.etag, snapshot.etag) || old.available != snapshot.available) {
                notifyObservers();
            }
        }

        void update(Map<String, Object> state) {
            Snapshot s = snapshot;
            if (state.equals(s.state)) {
                return; // see below
            }
            byte[] json = Values.json(state);
            if (java.util.Arrays.equals(json, s.json)) {
                // The hub reports a state again when a device confirms what it already reported (or repeats an
                // attribute report): the representation did not change, so there is nothing to notify
                // (RFC 7641 §4.2: notifications are for changes of the resource state). Notifying anyway doubled
                // every observer's traffic on the real hub.
                return;
            }
            snapshot = new Snapshot(state, json, Values.cbor(state), etag(json), s.available, s.capNames, s.caps);
            notifyObservers();
        }

        private void notifyObservers() {
            notifications.addAndGet(getObserverCount());
            changed();
            for (Resource c : getChildren()) {
                if (c instanceof CapabilityResource cr) {
                    cr.changed();
                }
            }
        }

        @Override
        public synchronized Resource getChild(String name) {
            Resource r = super.getChild(name);
            if (r == null && snapshot.caps.containsKey(name)) {
                r = new CapabilityResource(this, snapshot.caps.get(name));
                add((CoapResource) r);
            }
            return r;
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, name, false, false);
            if (f < 0) {
                return;
            }
            Snapshot s = snapshot;
            long maxAge = settings.maxAge().toSeconds();
            if (ex.getRequestOptions().containsETag(s.etag)) {
                Response r = new Response(ResponseCode.VALID);
                r.getOptions().addETag(s.etag);
                r.getOptions().setMaxAge(maxAge);
                ex.respond(r);
                return;
            }
            Response r = content(f == CBOR ? s.cbor : s.json, f, maxAge);
            r.getOptions().addETag(s.etag);
            ex.respond(r);
        }

        @Override
        void set(CoapExchange ex) {
            Write w = write(ex, name, false, true);
            if (w == null) {
                return;
            }
            Map<String, Object> values = w.object();
            if (values.isEmpty()) {
                reject(ex, badRequests, ResponseCode.BAD_REQUEST, "nothing to set: the object is empty");
                return;
            }
            int out = ex.getRequestOptions().getAccept() == MediaTypeRegistry.UNDEFINED
                    && ex.getRequestOptions().getContentFormat() == CBOR ? CBOR : w.format();
            command(ex, hub.set(name, values, client(ex)), out, state -> state);
        }
    }

    private final class CapabilityResource extends WritableBase {
        private final DeviceResource device;
        private final CapabilityView cap;

        CapabilityResource(DeviceResource device, CapabilityView cap) {
            super(cap.name());
            this.device = device;
            this.cap = cap;
            setObservable(true);
            setObserveType(settings.observeNonConfirmable() ? CoAP.Type.NON : CoAP.Type.CON);
            getAttributes().setObservable();
            getAttributes().addResourceType("tetheritall.capability." + cap.kind());
            getAttributes().addInterfaceDescription(cap.settable() ? "core.a" : "core.s");
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, device.name, false, true);
            if (f < 0) {
                return;
            }
            Object v = device.snapshot.state.get(cap.name());
            ex.respond(content(encode(v, f), f, settings.maxAge().toSeconds()));
        }

        @Override
        void set(CoapExchange ex) {
            Write w = write(ex, device.name, true, false);
            if (w == null) {
                return;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(cap.name(), w.body());
            command(ex, hub.set(device.name, values, client(ex)), w.format(), state -> state.get(cap.name()));
        }
    }

    private final class GroupsResource extends Base {
        GroupsResource() {
            super("groups");
            getAttributes().addResourceType("tetheritall.groups");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        synchronized void sync() {
            Set<String> present = new HashSet<>();
            for (GroupView g : hub.groups()) {
                present.add(g.name());
                if (getChild(g.name()) == null) {
                    add(new GroupResource(g.name()));
                }
            }
            for (Resource r : new ArrayList<>(getChildren())) {
                if (!present.contains(r.getName())) {
                    ((CoapResource) r).delete();
                }
            }
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, null, false, false);
            if (f >= 0) {
                List<Object> out = new ArrayList<>();
                for (GroupView g : hub.groups()) {
                    out.add(Map.of("name", g.name(), "id", g.groupId(), "members", g.members()));
                }
                ex.respond(ResponseCode.CONTENT, encode(out, f), f);
            }
        }
    }

    private final class GroupResource extends WritableBase {
        GroupResource(String name) {
            super(name);
            getAttributes().addResourceType("tetheritall.group");
            getAttributes().addInterfaceDescription("core.a");
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, null, false, false);
            if (f < 0) {
                return;
            }
            var g = hub.group(getName());
            if (g.isEmpty()) {
                reject(ex, notFound, ResponseCode.NOT_FOUND, "no group '" + getName() + "'");
                return;
            }
            ex.respond(ResponseCode.CONTENT, encode(Map.of("name", g.get().name(), "id", g.get().groupId(),
                    "members", g.get().members()), f), f);
        }

        @Override
        void set(CoapExchange ex) {
            Write w = write(ex, "*", false, true);
            if (w == null) {
                return;
            }
            command(ex, hub.setGroup(getName(), w.object(), client(ex)), w.format(), v -> v);
        }
    }

    private final class PermitJoinResource extends WritableBase {
        PermitJoinResource() {
            super("permit-join");
            getAttributes().addResourceType("tetheritall.permit-join");
            getAttributes().addInterfaceDescription("core.a");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        @Override
        void set(CoapExchange ex) {
            Write w = write(ex, "*", false, true);
            if (w == null) {
                return;
            }
            Object t = w.object().get("time");
            if (!(t instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 0 || n.intValue() > 254) {
                reject(ex, badRequests, ResponseCode.BAD_REQUEST, "time: must be an integer 0..254, got " + t);
                return;
            }
            int secs = n.intValue();
            Object via = w.object().get("device");
            command(ex, hub.permitJoin(java.time.Duration.ofSeconds(secs), via instanceof String s ? s : null), w.format(),
                    v -> Map.of("value", secs > 0, "time", secs));
        }
    }

    /**
     * {@code /bridge/health}: the hub's health ({@link HubApi#health()}) with this uplink's counters under
     * {@code coap}, built on every GET (it is small and must be current). Any client that may read something
     * may read it; a client with no read access at all gets 4.03. If the hub cannot say, 5.00 with the reason.
     */
    private final class HealthResource extends Base {
        HealthResource() {
            super("health");
            getAttributes().setTitle("Hub health");
            getAttributes().addResourceType("tetheritall.health");
            getAttributes().addInterfaceDescription("core.s");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        @Override
        public void handleGET(CoapExchange ex) {
            EndpointContext ctx = ex.advanced().getRequest().getSourceContext();
            if (ctx.getPeerIdentity() != null || settings.plainAcl() != CoapSettings.Acl.ALL) {
                CoapSettings.Acl acl = acl(peer(ctx));
                if (acl.read().isEmpty() && acl.write().isEmpty()) {
                    reject(ex, forbidden, ResponseCode.FORBIDDEN, "read access to the hub's health is not granted");
                    return;
                }
            }
            int f = negotiate(ex, null, false, false);
            if (f < 0) {
                return;
            }
            Map<String, Object> h;
            try {
                h = new LinkedHashMap<>(hub.health());
            } catch (RuntimeException e) {
                serverErrors.incrementAndGet();
                Logger.warn("coap: health failed: {}", e.toString());
                ex.respond(ResponseCode.INTERNAL_SERVER_ERROR, "health unavailable: " + e, TEXT);
                return;
            }
            Metrics m = metrics();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("requests", m.requests());
            c.put("rateLimited", m.rateLimited());
            c.put("forbidden", m.forbidden());
            c.put("badRequests", m.badRequests());
            c.put("notFound", m.notFound());
            c.put("serverErrors", m.serverErrors());
            c.put("commandsOk", m.commandsOk());
            c.put("notifications", m.notifications());
            c.put("observers", m.observers());
            c.put("devices", m.devices());
            h.put("coap", c);
            ex.respond(content(encode(h, f), f, 0)); // Max-Age 0, a snapshot: caches must not serve it again
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
