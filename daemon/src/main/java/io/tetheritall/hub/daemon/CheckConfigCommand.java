package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.ConfigException;
import io.tetheritall.hub.daemon.config.HubConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code check-config [--config FILE]}: loads the configuration exactly as {@code run} would, prints
 * the effective values with their origin (secrets masked) and exits 2 if anything is wrong. It
 * writes nothing (a hub id it would generate is shown but not kept).
 */
final class CheckConfigCommand implements Subcommand {

    @Override
    public String name() {
        return "check-config";
    }

    @Override
    public String summary() {
        return "print the effective configuration (secrets masked); exit 2 on errors";
    }

    @Override
    public String usage() {
        return "tetheritall-hub check-config [--config FILE]";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws UsageException {
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") && i + 1 < args.size()) {
                file = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            } else {
                throw new UsageException("unexpected argument '" + a + "'");
            }
        }
        HubConfig config;
        try {
            config = RunCommand.loader(ctx, file, false).load();
        } catch (ConfigException e) {
            e.warnings().forEach(w -> ctx.err().println("warning: " + w));
            e.errors().forEach(m -> ctx.err().println("error: " + m));
            return ExitCodes.BAD_CONFIG;
        }
        config.warnings().forEach(w -> ctx.err().println("warning: " + w));
        ctx.out().println("# profile " + config.profile().label() + ", config file "
                + config.configFile().map(Path::toString).orElse("(none)"));
        config.dump().forEach(ctx.out()::println);
        return ExitCodes.OK;
    }
}
