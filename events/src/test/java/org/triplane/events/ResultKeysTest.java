package org.triplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultKeysTest {
    private static final UUID T = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID J = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID S = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    private static final String FOLDER = "tenants/" + T + "/jobs/" + J + "/scans/" + S + "/";

    @Test
    void eachPredictionHasItsPartsAndEveryLabelVolumeItsTwoTables() {
        ResultKeys keys = ResultKeys.of(T, J, S);

        assertEquals(List.of("axial", "coronal", "sagittal", "atlas"), List.copyOf(keys.predictions().keySet()));
        assertEquals(List.of("labels", "confidence", "labels.itksnap.txt", "labels.ctbl"),
                List.copyOf(keys.predictions().get("coronal").keySet()));
        assertEquals(FOLDER + "planes/coronal/confidence.nii.gz", keys.predictions().get("coronal").get("confidence"));
        assertEquals(FOLDER + "planes/coronal/labels.ctbl", keys.predictions().get("coronal").get("labels.ctbl"));
        assertEquals(Map.of(
                "labels", FOLDER + "planes/atlas/labels.nii.gz",
                "labels-acquired", FOLDER + "planes/atlas/labels-acquired.nii.gz",
                "labels.itksnap.txt", FOLDER + "planes/atlas/labels.itksnap.txt",
                "labels.ctbl", FOLDER + "planes/atlas/labels.ctbl",
                "labels-acquired.itksnap.txt", FOLDER + "planes/atlas/labels-acquired.itksnap.txt",
                "labels-acquired.ctbl", FOLDER + "planes/atlas/labels-acquired.ctbl"), keys.predictions().get("atlas"));
        assertEquals(Map.of(
                "segmentation.itksnap.txt", FOLDER + "fused/labels-acquired.itksnap.txt",
                "segmentation.ctbl", FOLDER + "fused/labels-acquired.ctbl",
                "rotated-segmentation.itksnap.txt", FOLDER + "fused/labels-rotated.itksnap.txt",
                "rotated-segmentation.ctbl", FOLDER + "fused/labels-rotated.ctbl"), keys.top());
        assertEquals(7, ResultKeys.labelVolumes(T, J, S).size(), "fused on both grids, three planes, atlas on both grids");
    }

    @Test
    void theStoredShapeReadsBackAsTheSameKeys() {
        ResultKeys keys = ResultKeys.of(T, J, S);
        Map<String, Object> stored = keys.toMap();
        assertEquals(List.of("axial", "coronal", "sagittal", "atlas", "segmentation.itksnap.txt", "segmentation.ctbl",
                "rotated-segmentation.itksnap.txt", "rotated-segmentation.ctbl"), List.copyOf(stored.keySet()));
        assertEquals(keys, ResultKeys.fromMap(stored));
    }

    @Test
    void theOldestFormOnePlaneOneKeyReadsAsATopLevelName() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("axial", "p/axial.nii.gz");
        ResultKeys keys = ResultKeys.fromMap(stored);
        assertEquals(Map.of("axial", "p/axial.nii.gz"), keys.top());
        assertEquals(Map.of(), keys.predictions());
    }

    @Test
    void aValueThatIsNoKeyIsRefusedNamingWhereItIs() {
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> ResultKeys.fromMap(Map.of("axial", Map.of("labels", 7))));
        assertEquals("axial.labels: an object key is a string, got 7", nested.getMessage());
        IllegalArgumentException top = assertThrows(IllegalArgumentException.class,
                () -> ResultKeys.fromMap(Map.of("sagittal", List.of("a"))));
        assertEquals("sagittal: an object key or an object of them, got [a]", top.getMessage());
    }
}
