package org.triplane.client.modelset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FusionWeightsDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FusionWeightsDocument document() {
        Map<String, List<Double>> weights = new LinkedHashMap<>();
        Map<String, Double> members = new LinkedHashMap<>();
        for (String m : List.of("axial", "coronal", "sagittal", "atlas")) {
            weights.put(m, List.of(0.1, 1.0 / 3, 16.0));
            members.put(m, 0.8 + m.length() / 100.0);
        }
        return new FusionWeightsDocument(weights, UUID.randomUUID(), List.of(UUID.randomUUID(), UUID.randomUUID()), 0.8412345678901,
                0.83, members);
    }

    @Test
    void itsJsonReadsBackExactly() throws Exception {
        FusionWeightsDocument d = document();
        // through text, as it travels: every double back bit for bit
        FusionWeightsDocument back = FusionWeightsDocument.parse(JSON.readTree(JSON.writeValueAsString(d.toJson())));
        assertEquals(d, back);
        assertEquals(List.of("axial", "coronal", "sagittal", "atlas"), List.copyOf(back.weights().keySet()));
    }

    @Test
    void otherFieldsAreIgnoredAndAWrongFieldIsNamed() {
        ObjectNode withRecord = document().toJson().put("recordedBy", "api-key:abc");
        assertEquals(document().weights(), FusionWeightsDocument.parse(withRecord).weights());

        ObjectNode text = document().toJson();
        ((ObjectNode) text.get("weights")).putArray("atlas").add("heavy");
        assertEquals("weights.atlas: must be a number, got \"heavy\"",
                assertThrows(IllegalArgumentException.class, () -> FusionWeightsDocument.parse(text)).getMessage());
        ObjectNode noJob = document().toJson();
        noJob.remove("evaluateJobId");
        assertEquals("evaluateJobId: must be a UUID string, got null",
                assertThrows(IllegalArgumentException.class, () -> FusionWeightsDocument.parse(noJob)).getMessage());
        ObjectNode badScan = document().toJson();
        badScan.putArray("scanIds").add("scan-1");
        assertEquals("scanIds: not a UUID: scan-1",
                assertThrows(IllegalArgumentException.class, () -> FusionWeightsDocument.parse(badScan)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FusionWeightsDocument.parse(JSON.createArrayNode()));
    }
}
