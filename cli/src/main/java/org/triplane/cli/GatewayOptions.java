package org.triplane.cli;

import java.io.IOException;
import org.triplane.deploy.local.StackConfig;
import picocli.CommandLine.Option;

/** {@code --gateway URL} and {@code --api-key KEY}, shared by every command that talks to the gateway. */
final class GatewayOptions {
    @Option(names = "--gateway", paramLabel = "URL",
            description = "the api-gateway (default: TRIPLANE_GATEWAY, else the local stack's gateway.url from "
                    + "<stack data>/stack.properties)")
    String gateway;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "the tenant's API key (default: TRIPLANE_API_KEY, else, on the local stack, a tenant the "
                    + "command line creates once with the stack's admin token and keeps in <stack data>/"
                    + ConnectionResolver.TENANT_FILE + ")")
    String apiKey;

    Connection connect() throws IOException, InterruptedException {
        return new ConnectionResolver(System.getenv(), StackConfig.fromEnvironment().build().dataDir()).resolve(gateway, apiKey);
    }
}
