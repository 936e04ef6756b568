package org.triplane.gpu.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTopicsTest {

    @Test
    void eachKindSubscribesToItsOwnTopic() {
        assertEquals(List.of("triplane.plane-tasks", "triplane.train-tasks"), TaskTopics.of(List.of("plane", "train")));
        assertEquals(List.of("triplane.plane-tasks"), TaskTopics.of(List.of(" Plane ")));
        assertEquals(List.of("triplane.train-tasks"), TaskTopics.of(List.of("train", "TRAIN")));
    }

    @Test
    void anUnknownKindOrNoneIsRefusedNamingTheSetting() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TaskTopics.of(List.of("plane", "segment")));
        assertTrue(unknown.getMessage().contains("triplane.gpu.tasks") && unknown.getMessage().contains("'segment'"),
                unknown.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TaskTopics.of(List.of()));
        assertTrue(none.getMessage().contains("triplane.gpu.tasks"), none.getMessage());
    }
}
