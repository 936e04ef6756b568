package org.triplane.gateway.service.parameters;

/**
 * Why a job's parameters cannot be used.
 *
 * @param key     the key at fault
 * @param message what is wrong and what is expected, for a person
 */
public record ParameterProblem(String key, String message) {
}
