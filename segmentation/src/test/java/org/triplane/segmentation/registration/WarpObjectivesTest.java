package org.triplane.segmentation.registration;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarpObjectivesTest {

    @Test
    void namesTheJavaAndTheTensorObjectives() {
        assertNotNull(WarpObjectives.parse("java", 2));
        assertNotNull(WarpObjectives.parse(" Tensor:CPU ", 2));
        assertNotNull(WarpObjectives.parse("tensor:cuda:1", 2));
    }

    @Test
    void refusesAnUnknownNameSayingWhatItGotAndWhatItTakes() {
        for (String bad : new String[] {"gpu", "tensor:", "tensor:cuda:x", "javaa"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WarpObjectives.parse(bad, 2));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("tensor:cpu"), e.getMessage());
        }
    }
}
