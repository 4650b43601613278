package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.Definition;
import io.tetheritall.hub.daemon.config.HubKeys;

import java.util.List;

/**
 * {@code help [command|config|exit-codes]}. {@code help config} prints every setting as a commented
 * {@code #KEY=default} block; the .deb build uses it to write {@code /etc/default/tetheritall-hub} and
 * {@code hub.conf}, so the shipped files cannot drift from the code.
 */
final class HelpCommand implements Subcommand {
    private final Subcommands commands;

    HelpCommand(Subcommands commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "this text; 'help config' lists every setting, 'help exit-codes' the exit codes";
    }

    @Override
    public String usage() {
        return "tetheritall-hub help [command | config | exit-codes]";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        if (args.isEmpty()) {
            ctx.out().println(overview(commands));
            return ExitCodes.OK;
        }
        if (args.size() > 1) {
            throw new UsageException("help takes at most one topic");
        }
        String topic = args.get(0);
        if (topic.equals("config")) {
            ctx.out().print(configReference());
            return ExitCodes.OK;
        }
        if (topic.equals("exit-codes")) {
            ctx.out().println("0 ok; 1 internal error; 2 bad configuration; 3 radio recovery exhausted;"
                    + " 4 a component failed to start; 64 usage error; 69 not available in this build;"
                    + " 143 stopped by SIGTERM");
            return ExitCodes.OK;
        }
        Subcommand c = commands.find(topic).orElseThrow(() -> new UsageException("no help topic '" + topic + "'"));
        ctx.out().println(c.usage());
        return ExitCodes.OK;
    }

    static String overview(Subcommands commands) {
        StringBuilder sb = new StringBuilder("usage: tetheritall-hub [command] [options]   (default command: run)\n\n");
        for (Subcommand c : commands.all()) {
            sb.append(String.format("  %-15s %s%n", c.name(), c.summary()));
        }
        sb.append("\nSettings come from environment variables, then the config file (/etc/tetheritall-hub/hub.conf,")
                .append("\n--config FILE or HUB_CONFIG), then the profile (HUB_PROFILE), then built-in defaults.");
        return sb.toString();
    }

    /** Every setting as a commented block: doc, allowed values, {@code #KEY=default}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static String configReference() {
        StringBuilder sb = new StringBuilder();
        for (Definition<?> d : HubKeys.ALL) {
            sb.append("# ").append(d.doc()).append('\n');
            sb.append("#   allowed: ").append(d.allowedWithOff()).append('\n');
            Object def = d.defaultValue();
            sb.append('#').append(d.key()).append('=').append(def == null ? "" : ((Definition) d).format(def))
                    .append("\n\n");
        }
        return sb.toString();
    }
}
