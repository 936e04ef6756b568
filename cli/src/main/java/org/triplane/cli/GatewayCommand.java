package org.triplane.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.triplane.client.GatewayException;
import org.triplane.client.GatewayUnreachableException;
import picocli.CommandLine.Mixin;

/**
 * A command that talks to the gateway: resolves the connection, runs, and turns failures into one
 * line on standard error and the documented {@link ExitCode}.
 */
abstract class GatewayCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions connection;

    /** Checks the command line and local input before any gateway is contacted. */
    void validate() throws InputException, java.io.IOException {
    }

    /** Removes what {@link #validate()} made for the run (a converted input); runs whatever the outcome. */
    void cleanup() throws java.io.IOException {
    }

    /** Runs the command; returns its exit code. */
    abstract int run(Connection c) throws Exception;

    @Override
    public final Integer call() {
        PrintStream err = System.err;
        Connection c = null;
        try {
            validate();
            c = connection.connect();
            return run(c);
        } catch (InputException | ConnectionResolver.MissingApiKeyException e) {
            err.println("triplane: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        } catch (ConnectionResolver.NoGatewayException e) {
            err.println("triplane: " + e.getMessage());
            return ExitCode.UNREACHABLE;
        } catch (GatewayUnreachableException e) {
            err.println("triplane: " + e.getMessage() + "; is it running? (the local stack: ./triplane stack up, "
                    + "./triplane stack status)");
            return ExitCode.UNREACHABLE;
        } catch (GatewayException e) {
            err.println("triplane: " + describe(e, c));
            return ExitCode.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("triplane: interrupted");
            return ExitCode.INTERRUPTED;
        } catch (Exception e) {
            err.println("triplane: " + Main.describe(e));
            return ExitCode.JOB_FAILED;
        } finally {
            try {
                cleanup();
            } catch (java.io.IOException e) {
                err.println("triplane: " + e.getMessage());
            }
        }
    }

    /** One line for a refusal: what was asked, the status, the gateway's words, and what to do. */
    static String describe(GatewayException e, Connection c) {
        String gateway = c == null ? "the gateway" : "the gateway " + c.client().baseUrl();
        if (e.isUnknownRoute()) {
            return gateway + " has no route " + e.method() + " " + path(e.uri()) + " (" + e.status()
                    + "): it predates this endpoint; update and restart the gateway";
        }
        String said = e.error() != null ? (e.part() == null ? "" : e.part() + ": ") + e.error()
                : e.body().isBlank() ? "(no message)" : e.body().strip();
        if (e.status() == 401) {
            String source = c == null ? "" : " (key from " + c.apiKeySource() + ")";
            String hint = c != null && c.storedKeyFile() != null
                    ? "; delete " + c.storedKeyFile() + " to create a new tenant on this stack"
                    : "; give a valid --api-key or TRIPLANE_API_KEY";
            return gateway + " refused the API key" + source + " (401): " + said + hint;
        }
        if (e.status() == 404) {
            return said + " (404 from " + e.method() + " " + path(e.uri()) + "; only this API key's tenant's jobs and scans "
                    + "are visible)";
        }
        return gateway + " refused " + e.method() + " " + path(e.uri()) + " (" + e.status() + "): " + said;
    }

    private static String path(String uri) {
        int scheme = uri.indexOf("://");
        int slash = scheme < 0 ? 0 : uri.indexOf('/', scheme + 3);
        return slash < 0 ? uri : uri.substring(slash);
    }
}
