package io.tetheritall.hub.daemon.config;

/** {@code HUB_LOG_LEVEL}: the tinylog severity threshold for the hub's own packages. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR
}
