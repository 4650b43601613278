package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZnpStatusTest {
    @Test
    void congestionStatuses() {
        for (int s : new int[] {0x11, 0x10, 0x1A, 0xE1, 0xC7, 0xF1}) {
            assertEquals(RadioError.CONGESTED, ZnpStatus.classify(s), ZnpStatus.name(s));
            assertTrue(ZnpStatus.isCongestion(s));
        }
    }

    @Test
    void unreachableStatuses() {
        for (int s : new int[] {0xE9, 0xB7, 0xCD, 0xF0}) {
            assertEquals(RadioError.DEVICE_UNREACHABLE, ZnpStatus.classify(s), ZnpStatus.name(s));
            assertFalse(ZnpStatus.isCongestion(s));
        }
    }

    @Test
    void definiteStatusesAndUnknownOnesAreRejected() {
        for (int s : new int[] {0x01, 0x02, 0x0A, 0x81, 0xB3, 0x5A}) {
            assertEquals(RadioError.REJECTED, ZnpStatus.classify(s), ZnpStatus.name(s));
        }
        assertNull(ZnpStatus.classify(0));
    }

    @Test
    void namesAndExceptions() {
        assertEquals("BUFFER_FULL(0x11)", ZnpStatus.name(0x11));
        assertEquals("UNKNOWN(0x5A)", ZnpStatus.name(0x5A));
        RadioException e = ZnpStatus.exception(0xE9, "AF_DATA_REQUEST");
        assertEquals(RadioError.DEVICE_UNREACHABLE, e.error());
        assertEquals(0xE9, e.status());
        assertTrue(e.getMessage().contains("MAC_NO_ACK"));
        assertThrows(IllegalArgumentException.class, () -> ZnpStatus.exception(0, "x"));
    }

    @Test
    void catalogueHeaders() {
        assertEquals(0x24, MtCommand.AF_DATA_REQUEST.cmd0());
        assertEquals(0x44, MtCommand.AF_DATA_CONFIRM.cmd0());
        assertEquals(0x2F, MtCommand.APP_CNF_BDB_START_COMMISSIONING.cmd0());
        assertEquals(0x45, MtCommand.ZDO_STATE_CHANGE_IND.cmd0());
        assertEquals(0xC0, MtCommand.ZDO_STATE_CHANGE_IND.id());
        assertEquals(0x41, MtCommand.SYS_RESET_REQ.cmd0());
        assertEquals(MtCommand.ZDO_NODE_DESC_RSP, MtCommand.lookup(2, 5, 0x82));
    }
}
