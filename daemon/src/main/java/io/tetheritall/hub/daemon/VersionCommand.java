package io.tetheritall.hub.daemon;

import java.util.List;

/** {@code version}: prints the hub version and the Java runtime. */
final class VersionCommand implements Subcommand {

    /** The jar's {@code Implementation-Version}, or {@code dev} when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the version";
    }

    @Override
    public String usage() {
        return "tetheritall-hub version";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        if (!args.isEmpty()) {
            throw new UsageException("version takes no arguments");
        }
        ctx.out().println("tetheritall-hub " + version() + " (Java " + Runtime.version() + ", "
                + System.getProperty("os.arch") + ")");
        return ExitCodes.OK;
    }
}
