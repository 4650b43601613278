package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;

/**
 * The stick refused an SREQ with an RPC error SRSP {@code 60 00 [err, reqCMD0, reqCMD1]} (MT p.19):
 * it does not know the subsystem or command, or the parameters or length were wrong. Always
 * {@link RadioError#REJECTED}; {@link #status()} is the RPC error code.
 */
public final class MtRpcException extends RadioException {
    private static final long serialVersionUID = 1L;

    /** RPC error codes (zigpy-znp {@code commands/rpc_error.py}). */
    public enum Reason {
        INVALID_SUBSYSTEM(1), INVALID_COMMAND_ID(2), INVALID_PARAMETER(3), INVALID_LENGTH(4), UNKNOWN(-1);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Reason of(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return UNKNOWN;
        }
    }

    private final Reason reason;
    private final int requestCmd0;
    private final int requestCmd1;

    public MtRpcException(int errorCode, int requestCmd0, int requestCmd1) {
        super(RadioError.REJECTED, errorCode, 0, String.format("RPC error %s for request %02X %02X",
                Reason.of(errorCode), requestCmd0, requestCmd1), null);
        this.reason = Reason.of(errorCode);
        this.requestCmd0 = requestCmd0;
        this.requestCmd1 = requestCmd1;
    }

    public Reason reason() {
        return reason;
    }

    /** CMD0 of the refused request, as echoed by the stick. */
    public int requestCmd0() {
        return requestCmd0;
    }

    /** CMD1 of the refused request. */
    public int requestCmd1() {
        return requestCmd1;
    }
}
