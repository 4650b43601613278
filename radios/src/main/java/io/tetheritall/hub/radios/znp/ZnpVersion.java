package io.tetheritall.hub.radios.znp;

/**
 * What SYS_VERSION reported: {@code TransportRev, Product, Major, Minor, Maint, [Revision(4)]}.
 *
 * @param transportRev MT transport revision (2)
 * @param product      0 Z-Stack 1.2, 1 Z-Stack 3.x.0, 2 Z-Stack 3.0.x (zigbee-herdsman
 *                     {@code adapter/tstype.ts}); stock TI 3.0.x firmware reports 2, Koenkk builds of
 *                     3.x.0 report 1
 * @param major        major version
 * @param minor        minor version
 * @param maint        maintenance release
 * @param revision     the optional u32 build revision (e.g. 20230507), or -1 if absent
 */
public record ZnpVersion(int transportRev, int product, int major, int minor, int maint, long revision) {

    /** The firmware family, as herdsman and zigpy-znp tell them apart. */
    public enum Kind {
        Z_STACK_12("Z-Stack 1.2"), Z_STACK_3X0("Z-Stack 3.x.0"), Z_STACK_30X("Z-Stack 3.0.x");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Product 0 → 1.2, 1 → 3.x.0, 2 → 3.0.x; unknown products are treated as 3.0.x (the cautious one). */
    public Kind kind() {
        return switch (product) {
            case 0 -> Kind.Z_STACK_12;
            case 1 -> Kind.Z_STACK_3X0;
            default -> Kind.Z_STACK_30X;
        };
    }

    /**
     * How many AF requests to keep in flight: 16 on Z-Stack 3.x.0 (CC26xx/CC13xx), 2 otherwise —
     * herdsman's {@code zStackAdapter.ts} and zigpy-znp's {@code application.py} agree.
     */
    public int recommendedWindow() {
        return kind() == Kind.Z_STACK_3X0 ? 16 : 2;
    }

    /** Whether the BDB commissioning commands (APP_CNF) exist: Z-Stack 3 only. */
    public boolean hasBdb() {
        return kind() != Kind.Z_STACK_12;
    }

    /** E.g. {@code "Z-Stack 3.x.0 2.7.1 rev 20230507"}. */
    public String describe() {
        return kind().label() + " " + major + "." + minor + "." + maint + (revision >= 0 ? " rev " + revision : "");
    }
}
