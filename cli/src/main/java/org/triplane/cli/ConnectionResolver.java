package org.triplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.PrivateFiles;
import org.triplane.deploy.local.StackProperties;

/**
 * Which gateway and API key a command uses. The gateway: {@code --gateway}, else
 * {@code TRIPLANE_GATEWAY}, else the local stack's {@code stack.properties} ({@code gateway.url}).
 * The key: {@code --api-key}, else {@code TRIPLANE_API_KEY}, else, when the gateway is the local
 * stack's, the key stored in {@value #TENANT_FILE} beside {@code stack.properties}; the first such
 * command creates that tenant with the stack's admin token and stores its key (mode 600), so that
 * every later command acts as the same tenant.
 */
final class ConnectionResolver {
    static final String TENANT_FILE = "cli-tenant.properties";
    static final String ENV_GATEWAY = "TRIPLANE_GATEWAY";
    static final String ENV_API_KEY = "TRIPLANE_API_KEY";
    private static final String KEY_GATEWAY = "gateway.url";
    private static final String KEY_TENANT = "tenant.id";
    private static final String KEY_API_KEY = "api-key";

    private final Map<String, String> env;
    private final Path stackDir;

    /** @param env the environment @param stackDir the local stack's data directory (holding stack.properties) */
    ConnectionResolver(Map<String, String> env, Path stackDir) {
        this.env = env;
        this.stackDir = stackDir;
    }

    Connection resolve(String gatewayOption, String apiKeyOption) throws IOException, InterruptedException {
        Properties stack = stackProperties();
        String stackGateway = stack == null ? null : blankToNull(stack.getProperty(StackProperties.GATEWAY_URL));
        String gateway;
        String gatewaySource;
        if (blankToNull(gatewayOption) != null) {
            gateway = gatewayOption.strip();
            gatewaySource = "--gateway";
        } else if (blankToNull(env.get(ENV_GATEWAY)) != null) {
            gateway = env.get(ENV_GATEWAY).strip();
            gatewaySource = ENV_GATEWAY;
        } else if (stackGateway != null) {
            gateway = stackGateway;
            gatewaySource = stackDir.resolve("stack.properties").toString();
        } else {
            throw new NoGatewayException("no gateway given: use --gateway URL or " + ENV_GATEWAY
                    + ", or start the local stack with `./triplane stack up` (no gateway.url in "
                    + (stackDir == null ? "stack.properties" : stackDir.resolve("stack.properties")) + ")");
        }
        GatewayClient client = new GatewayClient(gateway);
        if (blankToNull(apiKeyOption) != null) {
            return new Connection(client, apiKeyOption.strip(), gatewaySource, "--api-key", null);
        }
        if (blankToNull(env.get(ENV_API_KEY)) != null) {
            return new Connection(client, env.get(ENV_API_KEY).strip(), gatewaySource, ENV_API_KEY, null);
        }
        if (stackGateway == null || !sameUrl(stackGateway, client.baseUrl())) {
            throw new MissingApiKeyException("no API key for " + client.baseUrl() + ": use --api-key KEY or " + ENV_API_KEY
                    + " (keys come from POST /api/v1/admin/tenants)");
        }
        String adminToken = blankToNull(stack.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN));
        Path file = stackDir.resolve(TENANT_FILE);
        return new Connection(client, storedOrNewKey(client, adminToken, file), gatewaySource, file.toString(), file);
    }

    /** No gateway was given and no local stack is known. */
    static final class NoGatewayException extends IOException {
        NoGatewayException(String message) {
            super(message);
        }
    }

    /** No key was given and none can be made: a usage problem. */
    static final class MissingApiKeyException extends IOException {
        MissingApiKeyException(String message) {
            super(message);
        }
    }

    private String storedOrNewKey(GatewayClient client, String adminToken, Path file) throws IOException, InterruptedException {
        String stored = storedKey(file, client.baseUrl());
        if (stored != null) {
            return stored;
        }
        if (adminToken == null) {
            throw new MissingApiKeyException("no API key: use --api-key KEY or " + ENV_API_KEY + " (the local stack's "
                    + stackDir.resolve("stack.properties") + " has no admin token to create a tenant with)");
        }
        // why: two commands started together must not each create a tenant; the second waits and reads the first's
        Path lockFile = stackDir.resolve(TENANT_FILE + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            stored = storedKey(file, client.baseUrl());
            if (stored != null) {
                return stored;
            }
            GatewayClient.Tenant tenant = client.createTenant(adminToken, "cli-" + UUID.randomUUID());
            write(file, client.baseUrl(), tenant);
            return tenant.apiKey();
        }
    }

    /** The stored key when the file exists and was made for this gateway. */
    private static String storedKey(Path file, String gateway) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String key = blankToNull(p.getProperty(KEY_API_KEY));
        String madeFor = p.getProperty(KEY_GATEWAY);
        return key != null && (madeFor == null || sameUrl(madeFor, gateway)) ? key : null;
    }

    private static void write(Path file, String gateway, GatewayClient.Tenant tenant) throws IOException {
        Properties p = new Properties();
        p.setProperty(KEY_GATEWAY, gateway);
        p.setProperty(KEY_TENANT, tenant.id().toString());
        p.setProperty(KEY_API_KEY, tenant.apiKey());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        PrivateFiles.createEmpty(tmp);
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
            p.store(out, "The tenant the triplane command line acts as on this local stack (its API key: keep private). "
                    + "Delete this file to start over with a new tenant.");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The tenant id stored in {@value #TENANT_FILE}, if that file exists (for tests and tools). */
    static UUID storedTenant(Path stackDir) throws IOException {
        Path file = stackDir.resolve(TENANT_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String id = blankToNull(p.getProperty(KEY_TENANT));
        return id == null ? null : UUID.fromString(id);
    }

    private Properties stackProperties() throws IOException {
        if (stackDir == null || !Files.isRegularFile(stackDir.resolve("stack.properties"))) {
            return null;
        }
        return StackProperties.read(stackDir);
    }

    private static boolean sameUrl(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String url) {
        String s = url.strip();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
