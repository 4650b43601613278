package io.tetheritall.hub.daemon;

import java.util.List;

/** One verb of the {@code tetheritall-hub} command line ({@code run}, {@code check-config}, ...). */
public interface Subcommand {

    /** The word on the command line. */
    String name();

    /** One line for {@code help}. */
    String summary();

    /** The synopsis and options, printed by {@code help <name>} and after a usage error. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the subcommand name
     * @return the process exit code ({@link ExitCodes})
     * @throws Exception anything unexpected; {@link Main} prints it and exits with {@link ExitCodes#INTERNAL_ERROR}
     */
    int run(List<String> args, CommandContext ctx) throws Exception;
}
