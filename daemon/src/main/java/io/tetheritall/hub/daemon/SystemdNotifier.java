package io.tetheritall.hub.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/**
 * sd_notify(3) for {@code Type=notify} units: {@code READY=1} once started, {@code WATCHDOG=1} pings,
 * {@code STOPPING=1}, {@code STATUS=...}. Does nothing when {@code NOTIFY_SOCKET} is not set (run by
 * hand, in tests).
 *
 * <p>Transport: a datagram sent from this process through libc via JNA ({@link UnixDatagram}). If
 * JNA cannot load libc, it falls back to running {@code systemd-notify VAR=VALUE...}; systemd then
 * sees a child process as the sender, which {@code NotifyAccess=all} in the unit allows (the shipped
 * unit sets it for this reason). Failures are logged once and never stop the hub.
 */
public final class SystemdNotifier {

    /** Sends one notify message to a socket. */
    @FunctionalInterface
    interface Transport {
        void send(String socket, String message) throws IOException;
    }

    private static final SystemdNotifier DISABLED = new SystemdNotifier(null, null, null);

    private final String socket;
    private final Duration watchdogInterval;
    private final Transport transport;
    private volatile boolean warned;

    SystemdNotifier(String socket, Duration watchdogInterval, Transport transport) {
        this.socket = socket;
        this.watchdogInterval = watchdogInterval;
        this.transport = transport;
    }

    /** From {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}. */
    public static SystemdNotifier fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, ProcessHandle.current().pid(), SystemdNotifier::sendWithFallback);
    }

    static SystemdNotifier fromEnvironment(Map<String, String> env, long pid, Transport transport) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return DISABLED;
        }
        return new SystemdNotifier(socket, watchdogInterval(env, pid), transport);
    }

    /** {@code WATCHDOG_USEC}, if set, valid and meant for this process ({@code WATCHDOG_PID}). */
    static Duration watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) {
            return null;
        }
        String forPid = env.get("WATCHDOG_PID");
        try {
            if (forPid != null && Long.parseLong(forPid.strip()) != pid) {
                return null; // set for another process (e.g. a wrapper script that exec'd us differently)
            }
            long us = Long.parseLong(usec.strip());
            return us > 0 ? Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(us)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether messages are sent at all. */
    public boolean enabled() {
        return socket != null;
    }

    /** The watchdog timeout systemd expects pings within, if the watchdog is on. */
    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogInterval);
    }

    /** {@code READY=1} with a status line. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** {@code WATCHDOG=1}. */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** {@code STOPPING=1}. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    /** {@code STATUS=...}, shown by {@code systemctl status}. */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    private void send(String message) {
        if (socket == null) {
            return;
        }
        try {
            transport.send(socket, message);
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                Logger.warn("systemd notify to {} failed: {} (further failures not logged)", socket, e.toString());
            }
        }
    }

    static void sendWithFallback(String socket, String message) throws IOException {
        try {
            UnixDatagram.send(socket, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!(e.getCause() instanceof LinkageError)) {
                throw e;
            }
            runSystemdNotify(socket, message);
        }
    }

    /** The fallback: {@code systemd-notify VAR=VALUE ...} with {@code NOTIFY_SOCKET} in its environment. */
    static void runSystemdNotify(String socket, String message) throws IOException {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add("systemd-notify");
        // Since systemd 246 the tool waits for a barrier reply by default; the hub does not need it.
        cmd.add("--no-block");
        cmd.addAll(java.util.Arrays.asList(message.split("\n")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("NOTIFY_SOCKET", socket);
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("systemd-notify did not finish in 5 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("systemd-notify exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for systemd-notify", e);
        }
    }
}
