package io.tetheritall.hub.daemon;

import io.tetheritall.hub.daemon.config.ConfigException;
import io.tetheritall.hub.daemon.config.HubConfig;
import io.tetheritall.hub.daemon.config.HubConfigLoader;
import io.tetheritall.hub.daemon.health.HealthRegistry;
import io.tetheritall.hub.daemon.health.HubMetrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.tinylog.Logger;

/**
 * {@code run [--simulate] [--config FILE]}: the daemon. Reads the configuration once, configures
 * logging from it, starts the components ({@link RuntimeWiring}), tells systemd it is ready, feeds
 * the watchdog, and waits for SIGTERM or an exit request.
 */
final class RunCommand implements Subcommand {
    /** Per-component stop budget; the unit's TimeoutStopSec (30 s) bounds the whole stop. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final RuntimeWiring wiring;
    private final boolean ownsProcess;

    /**
     * @param ownsProcess {@code true} in the real launcher: install the shutdown hook and drain the
     *                    logging thread at the end; tests that run the command in their own JVM pass
     *                    {@code false}
     */
    RunCommand(RuntimeWiring wiring, boolean ownsProcess) {
        this.wiring = wiring;
        this.ownsProcess = ownsProcess;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the hub (default)";
    }

    @Override
    public String usage() {
        return "tetheritall-hub run [--simulate] [--config FILE]\n"
                + "  --simulate     simulated radio and mock GPIO instead of hardware\n"
                + "  --config FILE  config file (default /etc/tetheritall-hub/hub.conf or $HUB_CONFIG)";
    }

    static HubConfigLoader loader(CommandContext ctx, Path file, boolean persistId) {
        return new HubConfigLoader().env(ctx.env()).configFile(file).persistGeneratedId(persistId);
    }

    @Override
    public int run(List<String> args, CommandContext ctx) throws Exception {
        boolean simulate = false;
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--simulate")) {
                simulate = true;
            } else if (a.equals("--config") && i + 1 < args.size()) {
                file = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            } else {
                throw new UsageException("unexpected argument '" + a + "'");
            }
        }
        HubConfig config;
        try {
            config = loader(ctx, file, true).load();
        } catch (ConfigException e) {
            // Logging is not configured yet (it depends on the config): plain stderr, which journald keeps.
            e.warnings().forEach(w -> ctx.err().println("warning: " + w));
            e.errors().forEach(m -> ctx.err().println("error: " + m));
            ctx.err().println("tetheritall-hub: configuration invalid, not starting (exit " + ExitCodes.BAD_CONFIG + ")");
            return ExitCodes.BAD_CONFIG;
        }
        Optional<String> problem = wiring.configProblem(config, simulate);
        if (problem.isPresent()) {
            ctx.err().println("error: " + problem.get());
            ctx.err().println("tetheritall-hub: configuration invalid, not starting (exit " + ExitCodes.BAD_CONFIG + ")");
            return ExitCodes.BAD_CONFIG;
        }
        LoggingSetup.apply(config, ctx.env());
        try {
            return runConfigured(config, simulate, ctx);
        } finally {
            if (ownsProcess) {
                LoggingSetup.shutdown();
            }
        }
    }

    private int runConfigured(HubConfig config, boolean simulate, CommandContext ctx) throws Exception {
        Logger.info("tetheritall-hub {} starting: hub id {}, profile {}{}", VersionCommand.version(), config.hubId(),
                config.profile().label(), simulate ? ", simulate" : "");
        config.warnings().forEach(w -> Logger.warn("config: {}", w));
        Logger.debug("config: {}", config);

        StateDirLock lock;
        try {
            lock = StateDirLock.acquire(config.stateDir());
        } catch (StateDirLock.InUseException e) {
            Logger.error("not starting: {}", e.getMessage());
            return ExitCodes.START_FAILED;
        }
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(ctx.env());
        HealthRegistry health = new HealthRegistry();
        try (lock; HubMetrics metrics = new HubMetrics(config.hubId())) {
            HubRuntime runtime = new HubRuntime(health, STOP_TIMEOUT);
            Thread hook = new Thread(() -> {
                notifier.stopping();
                runtime.stop();
                // tinylog's own hook is off (autoshutdown=false) so that these last lines are written.
                LoggingSetup.shutdown();
            }, "hub-shutdown");
            if (ownsProcess) {
                Runtime.getRuntime().addShutdownHook(hook);
            }

            wiring.wire(new RuntimeWiring.Context(config, simulate, health, metrics, runtime));
            try {
                runtime.start();
            } catch (StartupException e) {
                Logger.error("not starting: {}", e.getMessage());
                removeHook(hook);
                return ExitCodes.START_FAILED;
            }
            notifier.ready("running: " + runtime.components().size() + " components");
            Logger.info("tetheritall-hub running ({} components)", runtime.components().size());
            try (SystemdWatchdog watchdog = SystemdWatchdog.start(notifier,
                    () -> runtime.state() == HubRuntime.State.RUNNING || runtime.state() == HubRuntime.State.STOPPING)) {
                int code = runtime.awaitExit();
                Logger.info("stopping (exit code {}{})", code,
                        runtime.exitReason() == null ? "" : ": " + runtime.exitReason());
                notifier.stopping();
                runtime.stop();
                removeHook(hook);
                return code;
            }
        }
    }

    private void removeHook(Thread hook) {
        if (!ownsProcess) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already shutting down: the hook is running or has run.
        }
    }
}
