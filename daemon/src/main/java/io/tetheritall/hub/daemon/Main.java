package io.tetheritall.hub.daemon;

import io.tetheritall.hub.radios.link.SerialLink;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorMain;

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
     * The radio simulators {@code simulate-radio} can start, bound here without reflection. The ZNP
     * simulator opens its tty with the same jssc serial link the hub uses for a dongle.
     */
    public static RadioSimulators simulators() {
        RadioSimulators s = new RadioSimulators();
        s.register("znp", args -> ZnpSimulatorMain.run(args, path -> new SerialLink(path, 115200, false)));
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
