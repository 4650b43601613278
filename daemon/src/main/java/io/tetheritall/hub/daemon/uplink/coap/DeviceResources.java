package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.uplink.Values;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code /devices} tree: the list, one resource per device (observable), one per capability. */
final class DeviceResources {
    private DeviceResources() {
    }

    /**
     * {@code /devices}. Californium does not allow '/' in a resource name, so a device named
     * {@code kitchen/temp} lives at {@code /devices/kitchen/temp} under a {@link FolderResource}
     * {@code kitchen}; it is also reachable percent-encoded as one segment ({@code kitchen%2Ftemp}).
     */
    static final class DevicesResource extends HubResource {
        private final Map<String, DeviceResource> byName = new java.util.concurrent.ConcurrentHashMap<>();

        DevicesResource(CoapContext ctx) {
            super(ctx, "devices");
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
            for (DeviceView d : ctx.hub.devices()) {
                present.add(d.friendlyName());
                DeviceResource r = byName.get(d.friendlyName());
                if (r == null || !r.ieee.equals(d.ieee())) {
                    if (r != null) {
                        r.delete();
                    }
                    DeviceResource n = new DeviceResource(ctx, d);
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
                    next = new FolderResource(ctx, seg[i]);
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
            CoapSettings.Acl acl = ctx.acl(CoapContext.peer(ex.advanced().getRequest().getSourceContext()));
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
    static final class FolderResource extends HubResource {
        FolderResource(CoapContext ctx, String name) {
            super(ctx, name);
            setVisible(false);
        }

        @Override
        public void handleGET(CoapExchange ex) {
            reject(ex, ctx.notFound, ResponseCode.NOT_FOUND, "no device '" + getURI().substring("/devices/".length()) + "'");
        }
    }

    /** What a device resource answers GETs from, replaced whole on each change. */
    private record Snapshot(Map<String, Object> state, byte[] json, byte[] cbor, byte[] etag, boolean available,
                            List<String> capNames, Map<String, CapabilityView> caps) {
    }

    static final class DeviceResource extends HubResource.Writable {
        final String ieee;
        final String name;
        volatile Snapshot snapshot;

        DeviceResource(CoapContext ctx, DeviceView d) {
            super(ctx, d.friendlyName().substring(d.friendlyName().lastIndexOf('/') + 1));
            this.name = d.friendlyName();
            this.ieee = d.ieee();
            setObservable(true);
            setObserveType(ctx.settings.observeNonConfirmable() ? CoAP.Type.NON : CoAP.Type.CON);
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
            return new Snapshot(state, json, Values.cbor(state), CoapUplink.etag(json), d.available(), List.copyOf(caps.keySet()), caps);
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
                // every observer's traffic on the real ctx.hub.
                return;
            }
            snapshot = new Snapshot(state, json, Values.cbor(state), CoapUplink.etag(json), s.available, s.capNames, s.caps);
            notifyObservers();
        }

        private void notifyObservers() {
            ctx.notifications.addAndGet(getObserverCount());
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
                r = new CapabilityResource(ctx, this, snapshot.caps.get(name));
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
            long maxAge = ctx.settings.maxAge().toSeconds();
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
                reject(ex, ctx.badRequests, ResponseCode.BAD_REQUEST, "nothing to set: the object is empty");
                return;
            }
            int out = ex.getRequestOptions().getAccept() == MediaTypeRegistry.UNDEFINED
                    && ex.getRequestOptions().getContentFormat() == CBOR ? CBOR : w.format();
            command(ex, ctx.hub.set(name, values, client(ex)), out, state -> state);
        }
    }

    static final class CapabilityResource extends HubResource.Writable {
        private final DeviceResource device;
        private final CapabilityView cap;

        CapabilityResource(CoapContext ctx, DeviceResource device, CapabilityView cap) {
            super(ctx, cap.name());
            this.device = device;
            this.cap = cap;
            setObservable(true);
            setObserveType(ctx.settings.observeNonConfirmable() ? CoAP.Type.NON : CoAP.Type.CON);
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
            ex.respond(content(encode(v, f), f, ctx.settings.maxAge().toSeconds()));
        }

        @Override
        void set(CoapExchange ex) {
            Write w = write(ex, device.name, true, false);
            if (w == null) {
                return;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(cap.name(), w.body());
            command(ex, ctx.hub.set(device.name, values, client(ex)), w.format(), state -> state.get(cap.name()));
        }
    }
}
