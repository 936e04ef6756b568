package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.triplane.db.jobs.JobKind;
import org.triplane.gateway.service.RequestRejected;

/**
 * The parameters each kind of job accepts, judged at submission so that a misspelt key or a wrong
 * value is refused naming it instead of failing the job in a worker, or being ignored there.
 * Segment and evaluate jobs take {@link FusionParameterSchema}'s keys, train jobs
 * {@link TrainingParameterSchema}'s.
 */
public final class JobParameterSchema {

    private JobParameterSchema() {
    }

    /** @param kind a kind of job @return the parameters it accepts */
    public static KindSchema of(JobKind kind) {
        return switch (kind) {
            case SEGMENT, EVALUATE -> FusionParameterSchema.SCHEMA;
            case TRAIN -> TrainingParameterSchema.SCHEMA;
        };
    }

    /**
     * @param kind       the job's kind
     * @param parameters its parameters, a JSON object
     * @throws RequestRejected 400 naming {@code parameters.<key>}: a key the kind does not accept (listing
     *                         those it does), a value its key refuses or keys that cannot go together
     *                         (saying what is expected)
     */
    public static void check(JobKind kind, JsonNode parameters) {
        KindSchema schema = of(kind);
        Optional<String> unknown = schema.unknownKey(parameters);
        if (unknown.isPresent()) {
            throw RequestRejected.badRequest("parameters." + unknown.get(), unknownKeyMessage(kind, unknown.get()));
        }
        schema.problem(parameters).ifPresent(p -> {
            throw RequestRejected.badRequest("parameters." + p.key(), p.message());
        });
    }

    private static String unknownKeyMessage(JobKind kind, String key) {
        KindSchema schema = of(kind);
        String accepted = "; " + aJob(kind) + " accepts " + String.join(", ", schema.keys());
        List<JobKind> others = Arrays.stream(JobKind.values()).filter(k -> of(k).spec(key).isPresent()).toList();
        if (!others.isEmpty()) {
            return key + " is a parameter of " + others.stream().map(JobParameterSchema::name)
                    .collect(Collectors.joining(" and ")) + " jobs, not of " + aJob(kind) + accepted;
        }
        return "unknown parameter " + key + " for " + aJob(kind)
                + NearestKey.to(key, schema.keys()).map(k -> " (did you mean " + k + "?)").orElse("") + accepted;
    }

    /** @return e.g. "a train job", "an evaluate job" */
    private static String aJob(JobKind kind) {
        return (kind == JobKind.EVALUATE ? "an " : "a ") + name(kind) + " job";
    }

    private static String name(JobKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
