package org.triplane.imaging.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FusionMethodTest {
    @Test
    void wireNamesRoundTrip() {
        assertEquals("majority", FusionMethod.MAJORITY.wireName());
        assertEquals("confidence", FusionMethod.CONFIDENCE.wireName());
        assertEquals("learned", FusionMethod.LEARNED.wireName());
        for (FusionMethod m : FusionMethod.values()) {
            assertEquals(m, FusionMethod.parse(m.wireName()));
        }
        assertEquals(FusionMethod.CONFIDENCE, FusionMethod.parse(" Confidence "));
    }

    @Test
    void badNameIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FusionMethod.parse("average"));
        assertTrue(e.getMessage().contains("'average'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(expected one of: majority, confidence, learned)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FusionMethod.parse(null));
        assertThrows(IllegalArgumentException.class, () -> FusionMethod.parse(""));
    }
}
