package org.triplane.cli;

/** Bad input that the user must fix (exit code {@value ExitCode#BAD_INPUT}): the message names the file or option. */
final class InputException extends Exception {
    InputException(String message) {
        super(message);
    }
}
