package io.tetheritall.hub.radios.link;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * Turns a configured port spec into a link:
 * <ul>
 *   <li>{@code tcp://host:port} (also {@code tcp://[::1]:port}) → {@link TcpLink} (ser2net, network
 *       coordinators); the baud and flow-control settings are the remote end's business;</li>
 *   <li>anything else without a {@code scheme://} (e.g. {@code /dev/ttyUSB0},
 *       {@code /dev/serial/by-id/usb-...}, a pty symlink) → {@link SerialLink}.</li>
 * </ul>
 * Any other scheme, a blank spec, a TCP spec without a valid host or port, or a non-positive baud
 * is rejected with an {@link IllegalArgumentException} that quotes the spec.
 */
public final class Links {
    private Links() {
    }

    /** An unopened link for {@code spec}. */
    public static ByteLink create(String spec, int baud, boolean rtsCts) {
        Parsed p = parse(spec, baud);
        return p.tcp ? new TcpLink(p.host, p.port) : new SerialLink(p.path, baud, rtsCts);
    }

    /** {@link #create} then {@link ByteLink#open}: one attempt, no reconnecting. */
    public static ByteLink open(String spec, int baud, boolean rtsCts, ByteLink.Listener listener) throws IOException {
        ByteLink link = create(spec, baud, rtsCts);
        link.open(listener);
        return link;
    }

    /**
     * A {@link ReconnectingLink} over fresh links for {@code spec}. For a serial path it also
     * watches the path, so a re-plugged stick (or a re-created pty symlink) is tried as soon as it
     * reappears. Validates the spec now.
     *
     * @param scheduler shared named scheduler, or {@code null} for a thread of the link's own
     */
    public static ReconnectingLink reconnecting(String spec, int baud, boolean rtsCts, Backoff backoff,
                                                ScheduledExecutorService scheduler) {
        Parsed p = parse(spec, baud);
        BooleanSupplier present = p.tcp ? null : () -> Files.exists(Path.of(p.path));
        return new ReconnectingLink(spec, () -> create(spec, baud, rtsCts), backoff, scheduler, null, present);
    }

    private record Parsed(boolean tcp, String path, String host, int port) {
    }

    private static Parsed parse(String spec, int baud) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("link spec must not be blank, but was '" + spec + "'");
        }
        if (baud <= 0) {
            throw new IllegalArgumentException("baud must be positive, but was " + baud + " for link spec '" + spec + "'");
        }
        String s = spec.strip();
        int sep = s.indexOf("://");
        if (sep < 0) {
            if (s.indexOf(':') >= 0 && s.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
                // "tcp:host:1234", "serial:/dev/x": a scheme without "//" is a typo, not a path
                throw new IllegalArgumentException("link spec '" + spec + "' looks like a URI without '//'; "
                        + "use tcp://host:port or a device path such as /dev/ttyUSB0");
            }
            return new Parsed(false, s, null, 0);
        }
        String scheme = s.substring(0, sep);
        if (!scheme.equalsIgnoreCase("tcp")) {
            throw new IllegalArgumentException("link spec '" + spec + "' has unsupported scheme '" + scheme
                    + "'; use tcp://host:port or a device path such as /dev/ttyUSB0");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("link spec '" + spec + "' is not a valid tcp://host:port: "
                    + e.getMessage(), e);
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("link spec '" + spec + "' has no host; expected tcp://host:port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("link spec '" + spec + "' needs a port 1..65535; expected tcp://host:port");
        }
        String rest = uri.getRawPath();
        if ((rest != null && !rest.isEmpty() && !rest.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("link spec '" + spec + "' must be just tcp://host:port");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Parsed(true, null, host, port);
    }
}
