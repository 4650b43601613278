package io.tetheritall.hub.radios.api;

/** A radio's health as the rest of the hub sees it. */
public enum RadioState {
    /** Opening the link, talking to the firmware, forming or restoring the network. */
    STARTING,
    /** The network is up and commands flow. */
    UP,
    /** The radio does not answer or the link is gone; recovery is under way. */
    DOWN,
    /** Closed on purpose. */
    STOPPED
}
