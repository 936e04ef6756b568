package org.triplane.gateway.service.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.JobKind;
import org.triplane.gateway.testing.RepositoryParameterSets;

/**
 * Every parameter set the repository submits elsewhere passes the schema, and so does every
 * {@code --param KEY=VALUE} its READMEs, tools, benchmarks, shipped model set and command line
 * name (the value judged when it is written out rather than left to a shell variable).
 */
class RepositoryParameterSetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("..");
    /**
     * {@code --param 'KEY=VALUE'} with the value up to the closing quote, or {@code --param KEY=VALUE} with the
     * value up to a blank, quote, bracket closing a sentence or format escape.
     */
    private static final Pattern PARAM = Pattern.compile(
            "--param[ =]+(?:'([A-Za-z][A-Za-z0-9]*)=([^']*)'|([A-Za-z][A-Za-z0-9]*)=([^\\s'\")`;,%]*))");
    /** Keys of usage lines, not of a job: {@code --param k=v}, {@code --param KEY=VALUE}, in any case. */
    private static final Set<String> PLACEHOLDERS = Set.of("k", "key");

    @Test
    void everySetTheRepositorySubmitsIsAccepted() {
        for (RepositoryParameterSets.ParameterSet set : RepositoryParameterSets.all("unique")) {
            JobKind kind = JobKind.valueOf(set.kind().toUpperCase(Locale.ROOT));
            assertThatCode(() -> JobParameterSchema.check(kind, JSON.valueToTree(set.parameters())))
                    .as(set.source()).doesNotThrowAnyException();
        }
    }

    @Test
    void everyParamTheRepositoryNamesIsAKeyOfAKindAndItsWrittenValueIsAccepted() throws IOException {
        List<String> seen = new ArrayList<>();
        for (Path file : files()) {
            Matcher m = PARAM.matcher(Files.readString(file));
            while (m.find()) {
                boolean quoted = m.group(1) != null;
                String key = quoted ? m.group(1) : m.group(3);
                String value = quoted ? m.group(2) : m.group(4).replaceAll("\\.$", "");
                if (PLACEHOLDERS.contains(key.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                String where = ROOT.relativize(file) + ": --param " + key + "=" + value;
                Optional<ParameterSpec> spec = Arrays.stream(JobKind.values())
                        .flatMap(k -> JobParameterSchema.of(k).spec(key).stream()).findFirst();
                assertThat(spec).as("%s names a key of some kind of job", where).isPresent();
                if (!value.isEmpty() && !value.contains("$")) {
                    assertThat(spec.get().rule().problem(asTheCommandLineSendsIt(value))).as(where).isEmpty();
                }
                seen.add(key);
            }
        }
        assertThat(seen).as("the scan found the tools' and READMEs' parameters")
                .contains("fusion", "fusionAtlasVoter", "folds", "preset", "atlasRegistration", "fieldOfViewMm");
    }

    /** As the command line's {@code --param} sends a value: the JSON it reads as, else the text itself. */
    private static JsonNode asTheCommandLineSendsIt(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }

    private static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("api-gateway/README.md"),
                ROOT.resolve("e2e/README.md"), ROOT.resolve("models/default/model-set.json")));
        for (String dir : List.of("tools", "benchmarks", "cli/src/main/java")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".sh") || p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        return files;
    }
}
