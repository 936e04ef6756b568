package org.triplane.cli;

/** Exit codes of the commands that talk to the gateway, the same for every command. */
final class ExitCode {
    /** Done. */
    static final int OK = 0;
    /** The job failed or was cancelled, or not everything asked for could be fetched. */
    static final int JOB_FAILED = 1;
    /** Bad command line or bad input (folder layout, parameters). */
    static final int BAD_INPUT = 2;
    /** The gateway answered with an error (401 key refused, 404 not found, 4xx/5xx). */
    static final int REFUSED = 3;
    /** No gateway: none configured, or it did not answer. */
    static final int UNREACHABLE = 4;
    /** Interrupted (Ctrl-C). */
    static final int INTERRUPTED = 130;

    static final String HEADING = "%nExit codes:%n";
    static final String OK_LINE = "0:done";
    static final String BAD_INPUT_LINE = "2:bad command line or input (folder layout, parameters)";
    static final String REFUSED_LINE = "3:the gateway refused (401 key, 404 unknown job or scan, other 4xx/5xx; its message is shown)";
    static final String UNREACHABLE_LINE = "4:no gateway configured, or it did not answer (start one: ./triplane stack up)";
    static final String INTERRUPTED_LINE = "130:interrupted (Ctrl-C)";

    private ExitCode() {
    }
}
