package io.p2pdl.worker.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {

    @Test
    void configuredIdWins() {
        assertEquals("w-7", WorkerIdentity.resolve(Optional.of(" w-7 ")));
    }

    @Test
    void emptyIdIsHostNamePlusRandomSuffix() {
        String a = WorkerIdentity.resolve(Optional.of(""));
        String b = WorkerIdentity.resolve(Optional.empty());
        assertTrue(a.matches(".+-[0-9a-f]{6}"), a);
        assertEquals(a.substring(0, a.length() - 7), b.substring(0, b.length() - 7));
        assertNotEquals(a, b);
    }
}
