package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.link.ByteLink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Standalone simulator: {@code --tty PATH --devices N --seed S [--nv-file F] [--baud B] [--in-flight N]}.
 * The caller supplies how PATH is opened (the launcher passes a jssc serial link on one end of a
 * socat pty pair). Then it reads fault commands on stdin, one per line:
 * <pre>
 *   hang | resume | garbage N | badfcs | drop-confirms on|off | unplug | replug | reboot
 *   leave IEEE | silent IEEE [off] | poll IEEE SECONDS | trigger IEEE (its own reports, now)
 *   permit [SECONDS] | devices | counters | quit
 * </pre>
 * {@code devices} prints one line per device: IEEE, short address, kind, joined or "-", "silent" when
 * it is, then " on"/" off" for devices with an On/Off cluster and " level=N" for those with a Level one.
 * IEEE addresses are hex, with or without {@code 0x}. EOF on stdin keeps the simulator running
 * until the process is killed only when {@code --daemon} is given; otherwise EOF stops it.
 */
public final class ZnpSimulatorMain {
    private ZnpSimulatorMain() {
    }

    /** Parsed command line. */
    public record Args(String tty, ZnpSimulatorConfig config, boolean daemon) {
    }

    /**
     * Opens the tty with the hub's jssc {@code SerialLink(path, baud, false)} when it is on the class
     * path (looked up by name so this module does not depend on the launcher's wiring).
     */
    public static void main(String[] args) throws Exception {
        int baud = 115200;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--baud")) {
                baud = Integer.parseInt(args[i + 1]);
            }
        }
        int b = baud;
        System.exit(run(args, path -> serialLink(path, b)));
    }

    private static ByteLink serialLink(String path, int baud) {
        try {
            return (ByteLink) Class.forName("io.tetheritall.hub.radios.link.SerialLink")
                    .getConstructor(String.class, int.class, boolean.class).newInstance(path, baud, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no SerialLink(String, int, boolean) on the class path: " + e, e);
        }
    }

    /** Parses the arguments; throws IllegalArgumentException with a usage line on bad input. */
    public static Args parse(String[] args) {
        String tty = null;
        ZnpSimulatorConfig.Builder b = ZnpSimulatorConfig.builder();
        boolean daemon = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--tty" -> tty = args[++i];
                    case "--devices" -> b.deviceCount(Integer.parseInt(args[++i]));
                    case "--seed" -> b.seed(Long.parseLong(args[++i]));
                    case "--nv-file" -> b.nvFile(Path.of(args[++i]));
                    case "--baud" -> b.baud(Integer.parseInt(args[++i]));
                    case "--in-flight" -> b.inFlightLimit(Integer.parseInt(args[++i]));
                    case "--daemon" -> daemon = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException(usage() + " (" + e.getMessage() + ")", e);
        }
        if (tty == null) {
            throw new IllegalArgumentException(usage());
        }
        return new Args(tty, b.build(), daemon);
    }

    static String usage() {
        return "usage: --tty PATH --devices N --seed S [--nv-file F] [--baud B] [--in-flight N] [--daemon]";
    }

    /** Runs on stdin/stdout until "quit" or EOF; returns the exit code. */
    public static int run(String[] args, Function<String, ByteLink> opener) throws IOException {
        return run(args, opener, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
    }

    /** Runs with an explicit console (tests). */
    public static int run(String[] args, Function<String, ByteLink> opener, BufferedReader console, PrintStream out)
            throws IOException {
        Args a;
        try {
            a = parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        try (ZnpSimulator sim = ZnpSimulator.realTime(a.config(), opener.apply(a.tty()))) {
            sim.start();
            out.printf("znp-sim up on %s: %d devices, seed %d, coordinator %016x%n", a.tty(), a.config().devices().size(),
                    a.config().seed(), sim.ieee());
            String line;
            while ((line = console.readLine()) != null) {
                String reply = command(sim, line);
                if (reply == null) {
                    break;
                }
                if (!reply.isEmpty()) {
                    out.println(reply);
                }
            }
            if (line == null && a.daemon()) {
                try {
                    Thread.currentThread().join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return 0;
    }

    /** Executes one console command; returns the reply, or null for "quit". */
    public static String command(ZnpSimulator sim, String line) {
        String[] w = line.trim().split("\\s+");
        if (w[0].isEmpty()) {
            return "";
        }
        ZnpSimulator.Faults f = sim.faults();
        try {
            switch (w[0]) {
                case "hang" -> f.hang();
                case "resume" -> f.resume();
                case "garbage" -> f.garbage(w.length > 1 ? Integer.parseInt(w[1]) : 32);
                case "badfcs" -> f.badFcs();
                case "drop-confirms" -> f.dropConfirms(w.length < 2 || w[1].equals("on"));
                case "unplug" -> f.unplug();
                case "replug" -> f.replug();
                case "reboot" -> f.reboot();
                case "leave" -> {
                    return f.leave(ieee(w[1])) ? "ok" : "unknown device " + w[1];
                }
                case "silent" -> {
                    return f.silent(ieee(w[1]), w.length < 3 || !w[2].equals("off")) ? "ok" : "unknown device " + w[1];
                }
                case "poll" -> {
                    return f.pollInterval(ieee(w[1]), Duration.ofSeconds(Long.parseLong(w[2]))) ? "ok"
                            : "not a sleepy device " + w[1];
                }
                case "trigger" -> {
                    return f.trigger(ieee(w[1])) ? "ok" : "not a joined device " + w[1];
                }
                case "permit" -> f.permit(w.length > 1 ? Integer.parseInt(w[1]) : 60);
                case "devices" -> {
                    StringBuilder sb = new StringBuilder();
                    for (DeviceView d : sim.devices()) {
                        sb.append(String.format("%016x %04x %-22s %s%s%s%n", d.ieee(), d.nwk(), d.kind(),
                                d.joined() ? "joined" : "-", d.silent() ? " silent" : "", state(d)));
                    }
                    return sb.toString().stripTrailing();
                }
                case "counters" -> {
                    return sim.counters().snapshot().toString();
                }
                case "quit", "exit" -> {
                    return null;
                }
                default -> {
                    return "unknown command: " + w[0];
                }
            }
            return "ok";
        } catch (RuntimeException | IOException e) {
            return "error: " + e.getMessage();
        }
    }

    /**
     * The actuator state of a device that has one (" on level=200" for a bulb, " off" for a plug), so
     * that a script driving a peer host can check what the device did, not only what the host says.
     */
    static String state(DeviceView d) {
        StringBuilder sb = new StringBuilder();
        if (d.kind().serverClusters().contains(0x0006)) {
            sb.append(d.onOff() ? " on" : " off");
        }
        if (d.kind().serverClusters().contains(0x0008)) {
            sb.append(" level=").append(d.level());
        }
        return sb.toString();
    }

    private static long ieee(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }
}
