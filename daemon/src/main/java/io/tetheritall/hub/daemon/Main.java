package io.tetheritall.hub.daemon;

import java.util.Arrays;
import java.util.List;

/**
 * {@code tetheritall-hub [command] [options]}: the launcher. Commands: {@code run} (the default),
 * {@code check-config}, {@code simulate-radio}, {@code version}, {@code help}. Exit codes are in
 * {@link ExitCodes}.
 */
public final class Main {
    private final Subcommands commands;
    private final CommandContext ctx;

    public Main(Subcommands commands, CommandContext ctx) {
        this.commands = commands;
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        int code = new Main(Subcommands.defaults(new DefaultWiring(), simulators()), CommandContext.system())
                .execute(args);
        System.exit(code);
    }

    /**
     * The radio simulators {@code simulate-radio} can start, bound here without reflection.
     *
     * <p>TODO(lead): when {@code io.tetheritall.hub.radios.znp.sim.ZnpSimulatorMain} is merged, register it:
     * <pre>{@code
     * s.register("znp", args -> ZnpSimulatorMain.run(args, ttyPath -> openSerialLink(ttyPath)));
     * }</pre>
     * ({@code ZnpSimulatorMain.run(String[] args, Function<String, ByteLink> opener)}; the opener turns a
     * tty path into a {@code ByteLink}, i.e. the radios module's jssc serial link at 115200 8N1).
     * Until then {@code simulate-radio znp} exits with 69 and says the
     * simulator is not in this build.
     */
    public static RadioSimulators simulators() {
        RadioSimulators s = new RadioSimulators();
        return s;
    }

    /** Parses the command word and runs it; returns the exit code. */
    public int execute(String[] argv) {
        List<String> args = Arrays.asList(argv);
        String name = "run";
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            name = args.get(0);
            args = args.subList(1, args.size());
        } else if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
            name = "help";
            args = List.of();
        } else if (!args.isEmpty() && args.get(0).equals("--version")) {
            name = "version";
            args = List.of();
        }
        Subcommand command = commands.find(name).orElse(null);
        if (command == null) {
            ctx.err().println("tetheritall-hub: unknown command '" + name + "'");
            ctx.err().println(HelpCommand.overview(commands));
            return ExitCodes.USAGE;
        }
        try {
            return command.run(args, ctx);
        } catch (UsageException e) {
            ctx.err().println("tetheritall-hub " + name + ": " + e.getMessage());
            ctx.err().println("usage: " + command.usage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERNAL_ERROR;
        } catch (Exception | LinkageError e) {
            ctx.err().println("tetheritall-hub " + name + ": internal error: " + e);
            e.printStackTrace(ctx.err());
            return ExitCodes.INTERNAL_ERROR;
        }
    }
}
