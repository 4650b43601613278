package io.tetheritall.hub.daemon;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Subcommand} may touch of the outside world: the environment and the two output
 * streams. Tests pass their own.
 *
 * @param env the environment variables (the process environment in production)
 * @param out normal output (config dumps, help)
 * @param err problems, one per line
 */
public record CommandContext(Map<String, String> env, PrintStream out, PrintStream err) {
    public CommandContext {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The real process environment, stdout and stderr. */
    public static CommandContext system() {
        return new CommandContext(System.getenv(), System.out, System.err);
    }
}
