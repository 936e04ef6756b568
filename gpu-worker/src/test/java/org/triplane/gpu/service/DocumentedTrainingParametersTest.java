package org.triplane.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gpu-worker takes what the gateway accepts: every name of an enumeration, both flags and the
 * bound of every range in the training parameters the gateway documents and judges by
 * ({@code api-gateway/README.md}, "Training parameters", whose table the gateway's tests keep equal
 * to its schema) is a value this parser accepts.
 */
class DocumentedTrainingParametersTest {

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern ONE_OF = Pattern.compile("one of (.+)");
    private static final Pattern AT_LEAST = Pattern.compile("an integer ≥ (-?\\d+)");

    /** @return key → what the gateway accepts for it, in the table's order */
    private static Map<String, String> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "api-gateway", "README.md"));
        int at = lines.indexOf("### Training parameters");
        assertThat(at).as("the gateway's README documents the training parameters").isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                Matcher keys = BACKTICKED.matcher(cells[1]);
                while (keys.find()) {
                    rows.put(keys.group(1), cells[2].strip());
                }
            }
        }
        return rows;
    }

    /** JSON values the gateway accepts for a key: every name, both flags, a range's bound. */
    private static List<String> samples(String accepts) {
        Matcher oneOf = ONE_OF.matcher(accepts);
        if (oneOf.matches()) {
            return List.of(oneOf.group(1).split(", ")).stream().map(n -> "\"" + n + "\"").toList();
        }
        Matcher atLeast = AT_LEAST.matcher(accepts);
        if (atLeast.matches()) {
            return List.of(atLeast.group(1));
        }
        return switch (accepts) {
            case "true or false" -> List.of("true", "false");
            case "an integer within ±2^53" -> List.of("9007199254740992", "-9007199254740992");
            case "a number > 0" -> List.of("0.5");
            case "a number ≥ 0" -> List.of("0");
            case "[x, y, z]: three numbers > 0" -> List.of("[200, 180.5, 120]");
            case "a number ≥ 0, or an object {\"axial\", \"coronal\", \"sagittal\"} of such numbers" ->
                    List.of("0", "{\"axial\": 0, \"coronal\": 0.5, \"sagittal\": 1}");
            case "a non-blank text of at most 200 characters" -> List.of("\"" + "n".repeat(200) + "\"");
            default -> throw new AssertionError("no samples for what the gateway now accepts: " + accepts
                    + "; teach this test that wording");
        };
    }

    /** What a key needs beside it to be read at all: atlasRegistration applies with atlas inputs only. */
    private static String companions(String key) {
        return key.equals("atlasRegistration") ? ", \"inputs\": \"atlas\"" : "";
    }

    @Test
    void everyDocumentedNameFlagAndBoundIsAcceptedHere() throws IOException {
        Map<String, String> documented = documented();
        assertThat(documented).containsKeys("preset", "inputs", "atlasRegistration", "epochs", "alpha", "fieldOfViewMm");
        List<String> tried = new ArrayList<>();
        documented.forEach((key, accepts) -> {
            for (String value : samples(accepts)) {
                String parameters = "{\"" + key + "\": " + value + companions(key) + "}";
                assertThatCode(() -> TrainingParameters.parse("documented", parameters)).as(parameters)
                        .doesNotThrowAnyException();
                tried.add(parameters);
            }
        });
        assertThat(tried).hasSizeGreaterThan(documented.size());
    }
}
