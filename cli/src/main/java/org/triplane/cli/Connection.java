package org.triplane.cli;

import java.nio.file.Path;
import org.triplane.client.GatewayClient;

/**
 * The gateway and API key a command uses, and where each came from (for error messages).
 *
 * @param client        the gateway
 * @param apiKey        the tenant's key
 * @param gatewaySource {@code --gateway}, {@code TRIPLANE_GATEWAY} or the stack.properties file
 * @param apiKeySource  {@code --api-key}, {@code TRIPLANE_API_KEY} or the stored tenant file
 * @param storedKeyFile the file the key was read from or written to, or {@code null}
 */
record Connection(GatewayClient client, String apiKey, String gatewaySource, String apiKeySource, Path storedKeyFile) {
}
