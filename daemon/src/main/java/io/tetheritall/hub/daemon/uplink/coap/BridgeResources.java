package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubApi;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.EndpointContext;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /groups} and {@code /bridge}: the groups, one resource per group, permit-join and health. */
final class BridgeResources {
    private BridgeResources() {
    }

    static final class GroupsResource extends HubResource {
        GroupsResource(CoapContext ctx) {
            super(ctx, "groups");
            getAttributes().addResourceType("tetheritall.groups");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        synchronized void sync() {
            Set<String> present = new HashSet<>();
            for (GroupView g : ctx.hub.groups()) {
                present.add(g.name());
                if (getChild(g.name()) == null) {
                    add(new GroupResource(ctx, g.name()));
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
                for (GroupView g : ctx.hub.groups()) {
                    out.add(Map.of("name", g.name(), "id", g.groupId(), "members", g.members()));
                }
                ex.respond(ResponseCode.CONTENT, encode(out, f), f);
            }
        }
    }

    static final class GroupResource extends HubResource.Writable {
        GroupResource(CoapContext ctx, String name) {
            super(ctx, name);
            getAttributes().addResourceType("tetheritall.group");
            getAttributes().addInterfaceDescription("core.a");
        }

        @Override
        public void handleGET(CoapExchange ex) {
            int f = negotiate(ex, null, false, false);
            if (f < 0) {
                return;
            }
            var g = ctx.hub.group(getName());
            if (g.isEmpty()) {
                reject(ex, ctx.notFound, ResponseCode.NOT_FOUND, "no group '" + getName() + "'");
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
            command(ex, ctx.hub.setGroup(getName(), w.object(), client(ex)), w.format(), v -> v);
        }
    }

    static final class PermitJoinResource extends HubResource.Writable {
        PermitJoinResource(CoapContext ctx) {
            super(ctx, "permit-join");
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
                reject(ex, ctx.badRequests, ResponseCode.BAD_REQUEST, "time: must be an integer 0..254, got " + t);
                return;
            }
            int secs = n.intValue();
            Object via = w.object().get("device");
            command(ex, ctx.hub.permitJoin(java.time.Duration.ofSeconds(secs), via instanceof String s ? s : null), w.format(),
                    v -> Map.of("value", secs > 0, "time", secs));
        }
    }

    /**
     * {@code /bridge/health}: the hub's health ({@link HubApi#health()}) with this uplink's counters under
     * {@code coap}, built on every GET (it is small and must be current). Any client that may read something
     * may read it; a client with no read access at all gets 4.03. If the hub cannot say, 5.00 with the reason.
     */
    static final class HealthResource extends HubResource {
        HealthResource(CoapContext ctx) {
            super(ctx, "health");
            getAttributes().setTitle("Hub health");
            getAttributes().addResourceType("tetheritall.health");
            getAttributes().addInterfaceDescription("core.s");
            getAttributes().addContentType(JSON);
            getAttributes().addContentType(CBOR);
        }

        @Override
        public void handleGET(CoapExchange ex) {
            EndpointContext source = ex.advanced().getRequest().getSourceContext();
            if (source.getPeerIdentity() != null || ctx.settings.plainAcl() != CoapSettings.Acl.ALL) {
                CoapSettings.Acl acl = ctx.acl(CoapContext.peer(source));
                if (acl.read().isEmpty() && acl.write().isEmpty()) {
                    reject(ex, ctx.forbidden, ResponseCode.FORBIDDEN, "read access to the hub's health is not granted");
                    return;
                }
            }
            int f = negotiate(ex, null, false, false);
            if (f < 0) {
                return;
            }
            Map<String, Object> h;
            try {
                h = new LinkedHashMap<>(ctx.hub.health());
            } catch (RuntimeException e) {
                ctx.serverErrors.incrementAndGet();
                Logger.warn("coap: health failed: {}", e.toString());
                ex.respond(ResponseCode.INTERNAL_SERVER_ERROR, "health unavailable: " + e, TEXT);
                return;
            }
            CoapUplink.Metrics m = ctx.metrics();
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
}
