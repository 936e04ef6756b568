package org.triplane.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.triplane.db.jobs.JobKind;
import org.triplane.gateway.service.parameters.JobParameterSchema;
import org.triplane.gateway.service.parameters.KindSchema;
import org.triplane.gateway.service.parameters.ParameterSpec;

/**
 * The parameter documentation says what the schema judges: the README's tables list exactly the
 * schema's keys in its order with what each accepts, and the OpenAPI texts name every key with what
 * it accepts and no key the schema lacks.
 */
class ParameterDocsTest {

    private static final Pattern CAMEL_CASE = Pattern.compile("\\b[a-z]+[A-Z][A-Za-z]*\\b");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    /** @return key → "accepts" column of the table under the README's heading */
    private static Map<String, String> readmeTable(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int at = lines.indexOf("### " + heading);
        assertThat(at).as("README section %s", heading).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.startsWith("### ") || line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            Matcher keys = BACKTICKED.matcher(cells[1]);
            while (keys.find()) {
                rows.put(keys.group(1), cells[2].strip());
            }
        }
        return rows;
    }

    private static Map<String, String> schema(JobKind kind) {
        Map<String, String> accepts = new LinkedHashMap<>();
        for (ParameterSpec s : JobParameterSchema.of(kind).specs()) {
            accepts.put(s.key(), s.rule().accepts());
        }
        return accepts;
    }

    @Test
    void theReadmeTablesListEveryKeyOfTheSchemaInItsOrderWithWhatItAccepts() throws IOException {
        assertThat(readmeTable("Fusion parameters")).containsExactlyEntriesOf(schema(JobKind.SEGMENT));
        assertThat(readmeTable("Training parameters")).containsExactlyEntriesOf(schema(JobKind.TRAIN));
        assertThat(JobParameterSchema.of(JobKind.EVALUATE)).isSameAs(JobParameterSchema.of(JobKind.SEGMENT));
    }

    @Test
    void theOpenApiTextsNameEveryKeyWithWhatItAcceptsAndNoOtherKey() {
        assertDescribes(FusionParameterDocs.TEXT, JobParameterSchema.of(JobKind.SEGMENT));
        assertDescribes(TrainingParameterDocs.TEXT, JobParameterSchema.of(JobKind.TRAIN));
    }

    private static void assertDescribes(String text, KindSchema schema) {
        for (ParameterSpec s : schema.specs()) {
            assertThat(text).as("the OpenAPI text describes %s", s.key()).contains(s.key() + ", " + s.rule().accepts());
        }
        List<String> named = new ArrayList<>();
        Matcher m = CAMEL_CASE.matcher(text);
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(schema.keys()).as("keys named in the OpenAPI text").containsAll(named);
    }
}
