package io.tetheritall.hub.daemon;

/** A {@link Component} failed to start; everything started before it has been stopped again. */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String component;

    public StartupException(String component, Throwable cause) {
        super("component " + component + " failed to start: " + cause, cause);
        this.component = component;
    }

    /** The name of the component that failed. */
    public String component() {
        return component;
    }
}
