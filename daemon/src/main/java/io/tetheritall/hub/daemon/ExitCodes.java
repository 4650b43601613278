package io.tetheritall.hub.daemon;

/**
 * Process exit codes of {@code tetheritall-hub}. systemd's {@code Restart=on-failure} restarts on
 * every non-zero code except those listed in {@code SuccessExitStatus} (143 = stopped by SIGTERM).
 *
 * <table>
 *   <caption>Codes</caption>
 *   <tr><td>0</td><td>normal exit (stop requested, or a command that succeeded)</td></tr>
 *   <tr><td>1</td><td>unexpected internal error</td></tr>
 *   <tr><td>2</td><td>bad configuration (every problem is printed, one per line)</td></tr>
 *   <tr><td>3</td><td>radio recovery exhausted ({@code RECOVERY_EXIT_AFTER} rounds failed): a restart, and
 *       maybe a USB reset by systemd, is the next step</td></tr>
 *   <tr><td>4</td><td>a component failed to start (port taken, state directory not writable or used by another running hub, ...)</td></tr>
 *   <tr><td>64</td><td>usage error (unknown subcommand or option), as in sysexits.h EX_USAGE</td></tr>
 *   <tr><td>69</td><td>the subcommand is not available in this build (sysexits.h EX_UNAVAILABLE)</td></tr>
 *   <tr><td>143</td><td>terminated by SIGTERM (set by the JVM, not by the hub)</td></tr>
 * </table>
 */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_CONFIG = 2;
    public static final int RADIO_RECOVERY_EXHAUSTED = 3;
    public static final int START_FAILED = 4;
    public static final int USAGE = 64;
    public static final int UNAVAILABLE = 69;
    public static final int SIGTERM = 143;
}
