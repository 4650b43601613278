package io.tetheritall.hub.daemon;

import java.util.List;

/**
 * {@code simulate-radio <kind> [simulator options]}: runs a protocol-faithful radio simulator on a
 * tty (e.g. one end of a socat pty pair) so the hub, or Zigbee2MQTT, can be pointed at it.
 * Options after the kind are the simulator's own ({@code --tty PATH --devices N --seed S ...}).
 */
final class SimulateRadioCommand implements Subcommand {
    private final RadioSimulators simulators;

    SimulateRadioCommand(RadioSimulators simulators) {
        this.simulators = simulators;
    }

    @Override
    public String name() {
        return "simulate-radio";
    }

    @Override
    public String summary() {
        return "run a radio simulator on a tty (znp)";
    }

    @Override
    public String usage() {
        return "tetheritall-hub simulate-radio <kind> [options]\n"
                + "  kind: " + (simulators.kinds().isEmpty() ? "(none in this build)" : String.join(", ", simulators.kinds()))
                + "\n  e.g. tetheritall-hub simulate-radio znp --tty /tmp/ttyV0 --devices 20 --seed 42\n"
                + "  Options after the kind are passed to the simulator unchanged.";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws Exception {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new UsageException("simulate-radio needs a kind");
        }
        String kind = args.get(0);
        RadioSimulators.Entry entry = simulators.find(kind).orElse(null);
        if (entry == null) {
            ctx.err().println("simulate-radio: no '" + kind + "' simulator in this build (available: "
                    + (simulators.kinds().isEmpty() ? "none" : String.join(", ", simulators.kinds())) + ")");
            return ExitCodes.UNAVAILABLE;
        }
        LoggingSetup.applyConsoleOnly(ctx.env());
        return entry.run(args.subList(1, args.size()).toArray(new String[0]));
    }
}
