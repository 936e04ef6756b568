package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The idempotency key of a folder: what it depends on, and what it does not. */
class SubmissionKeyTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);
    private static final String T1 = "1".repeat(64);
    private static final String T2 = "2".repeat(64);
    private static final String L = "f".repeat(64);

    private static final SubmissionKey.ScanChecksums S1 = new SubmissionKey.ScanChecksums(B, T1, null);
    private static final SubmissionKey.ScanChecksums S2 = new SubmissionKey.ScanChecksums(A, T2, L);

    @Test
    void isTheSha256OfTheDocumentedCanonicalText() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("preset", "tiny");
        params.put("epochs", 3);
        UUID set = UUID.fromString("11111111-2222-3333-4444-555555555555");
        // written out by hand: kind, model set, parameters sorted by key, scans sorted by their line
        String text = "kind segment\n"
                + "model-set 11111111-2222-3333-4444-555555555555\n"
                + "parameters {\"epochs\":3,\"preset\":\"tiny\"}\n"
                + "scan " + A + " " + T2 + " " + L + "\n"
                + "scan " + B + " " + T1 + " -\n";
        String expected = "triplane-submit-v1-"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, SubmissionKey.derive("segment", List.of(S1, S2), params, set));
        assertEquals(expected.length(), 19 + 64);
    }

    @Test
    void doesNotDependOnScanOrParameterOrderOrKindCase() {
        Map<String, Object> p1 = new LinkedHashMap<>();
        p1.put("x", 1);
        p1.put("y", Map.of("b", 2, "a", 1));
        Map<String, Object> p2 = new LinkedHashMap<>();
        p2.put("y", new LinkedHashMap<>(Map.of("a", 1, "b", 2)));
        p2.put("x", 1);
        assertEquals(SubmissionKey.derive("segment", List.of(S1, S2), p1, null),
                SubmissionKey.derive("SEGMENT", List.of(S2, S1), p2, null));
    }

    @Test
    void changesWithAnyFileKindParameterOrModelSet() {
        String base = SubmissionKey.derive("segment", List.of(S1, S2), Map.of(), null);
        assertNotEquals(base, SubmissionKey.derive("evaluate", List.of(S1, S2), Map.of(), null));
        assertNotEquals(base, SubmissionKey.derive("segment", List.of(S1, S2), Map.of("fusion", "confidence"), null));
        assertNotEquals(base, SubmissionKey.derive("segment", List.of(S1, S2), Map.of(), UUID.randomUUID()));
        assertNotEquals(base, SubmissionKey.derive("segment", List.of(S1), Map.of(), null));
        assertNotEquals(base, SubmissionKey.derive("segment",
                List.of(S1, new SubmissionKey.ScanChecksums(C, T2, L)), Map.of(), null));
        assertNotEquals(base, SubmissionKey.derive("segment",
                List.of(S1, new SubmissionKey.ScanChecksums(A, T1, L)), Map.of(), null));
        assertNotEquals(base, SubmissionKey.derive("segment",
                List.of(S1, new SubmissionKey.ScanChecksums(A, T2, null)), Map.of(), null));
        assertNotEquals(SubmissionKey.derive("segment", List.of(S1), Map.of("epochs", 3), null),
                SubmissionKey.derive("segment", List.of(S1), Map.of("epochs", "3"), null));
    }

    @Test
    void parametersAreJsonWhenTheyReadAsJsonElseText() throws Exception {
        Map<String, Object> p = JobParameters.parse(List.of("epochs=3", "preset=tiny", "positionChannel=false",
                "fieldOfViewMm=[256,256,160]", "alpha={\"axial\":0.8}", "name=\"7\"", "note=a=b"));
        assertEquals(3, p.get("epochs"));
        assertEquals("tiny", p.get("preset"));
        assertEquals(false, p.get("positionChannel"));
        assertEquals(List.of(256, 256, 160), p.get("fieldOfViewMm"));
        assertEquals(Map.of("axial", 0.8), p.get("alpha"));
        assertEquals("7", p.get("name"));
        assertEquals("a=b", p.get("note"));
        assertThrows(InputException.class, () -> JobParameters.parse(List.of("novalue")));
        assertThrows(InputException.class, () -> JobParameters.parse(List.of("=3")));
        assertThrows(InputException.class, () -> JobParameters.parse(List.of("a=1", "a=2")));
    }
}
