package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.uplink.Errors;
import io.tetheritall.hub.daemon.uplink.Values;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.EndpointContext;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of the uplink's resources: the request prelude (ACL, Accept), content negotiation (JSON, CBOR,
 * text), body parsing, running a hub command with its deadline, and the error answers.
 */
abstract class HubResource extends CoapResource {
    static final int JSON = MediaTypeRegistry.APPLICATION_JSON;
    static final int CBOR = MediaTypeRegistry.APPLICATION_CBOR;
    static final int TEXT = MediaTypeRegistry.TEXT_PLAIN;

    final CoapContext ctx;

    HubResource(CoapContext ctx, String name) {
        super(name);
        this.ctx = ctx;
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
        reject(ex, ctx.badRequests, ResponseCode.NOT_ACCEPTABLE, "Accept " + a
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
        if (p.length > ctx.settings.maxPayloadBytes()) {
            ctx.badRequests.incrementAndGet();
            Response r = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            r.getOptions().setSize1(ctx.settings.maxPayloadBytes());
            r.setPayload("payload of " + p.length + " bytes exceeds the limit of " + ctx.settings.maxPayloadBytes() + " bytes");
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
            reject(ex, ctx.badRequests, ResponseCode.BAD_REQUEST, e.getMessage());
            return null;
        }
        reject(ex, ctx.badRequests, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "Content-Format " + cf
                + " is not supported; use 50 (JSON) or 60 (CBOR)" + (textOk ? " or 0 (text)" : ""));
        return null;
    }

    boolean allowed(CoapExchange ex, String device, boolean write) {
        EndpointContext source = ex.advanced().getRequest().getSourceContext();
        if (source.getPeerIdentity() == null && ctx.settings.plainAcl() == CoapSettings.Acl.ALL) {
            return true; // the common loopback case, without allocating on the GET hot path
        }
        CoapSettings.Acl acl = ctx.acl(CoapContext.peer(source));
        if (write ? acl.mayWrite(device) : acl.mayRead(device)) {
            return true;
        }
        reject(ex, ctx.forbidden, ResponseCode.FORBIDDEN,
                (write ? "write" : "read") + " access to '" + device + "' is not granted");
        return false;
    }

    String client(CoapExchange ex) {
        return "coap:" + CoapContext.peer(ex.advanced().getRequest().getSourceContext()).key();
    }

    /** Runs a hub command and answers with {@code ok} or the mapped error, never waiting on a thread. */
    <T> void command(CoapExchange ex, CompletableFuture<T> f, int format, java.util.function.Function<T, Object> body) {
        if (!f.isDone() && ex.advanced().getRequest().isConfirmable()) {
            ex.accept(); // empty ACK now, separate response later: the client stops retransmitting
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        long ms = ctx.settings.commandTimeout().toMillis();
        ScheduledFuture<?> t = f.isDone() ? null : ctx.timer.schedule(() -> out.completeExceptionally(
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
                ctx.commandsOk.incrementAndGet();
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
            ctx.serverErrors.incrementAndGet();
        } else if (code == ResponseCode.NOT_FOUND) {
            ctx.notFound.incrementAndGet();
        } else {
            ctx.badRequests.incrementAndGet();
        }
        Response r = new Response(code);
        if (e.retryAfterMillis() > 0 || code == ResponseCode.SERVICE_UNAVAILABLE || code == ResponseCode.TOO_MANY_REQUESTS) {
            r.getOptions().setMaxAge(Errors.retrySeconds(Math.max(1000, e.retryAfterMillis())));
        }
        r.setPayload(Errors.text(e));
        r.getOptions().setContentFormat(TEXT);
        ex.respond(r);
    }

    /** A PUT/POST that passed the prelude: the response format and the parsed body. */
    record Write(int format, Object body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) body;
        }
    }

    /** A resource that takes PUT and POST alike: both set state (the hub's commands are idempotent sets). */
    abstract static class Writable extends HubResource {
        Writable(CoapContext ctx, String name) {
            super(ctx, name);
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
}
