package io.tetheritall.hub.store;

/** Which cache layer(s) a call reads or writes. */
public enum Layer {
    /** Off-heap memory only (Chronicle Map): fastest, lost at restart. */
    L1,
    /** Disk only (MapDB): survives restarts, no promotion into L1. */
    L2,
    /** Read L1 then L2 (a hit in L2 is promoted to L1); write both. The default. */
    BOTH;

    boolean usesL1() {
        return this != L2;
    }

    boolean usesL2() {
        return this != L1;
    }
}
