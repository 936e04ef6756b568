package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-process stand-in for the gateway's scan and job endpoints, as the API documents them: it
 * hashes uploaded parts itself (so the client's checksums are checked independently), answers the
 * checksum lookup, and keeps jobs by idempotency key (201 new, 200 repeated, 422 same key with
 * another request). Any other path answers a bare 404, as the HTTP layer does for an unknown route.
 *
 * <p>A JUnit extension: a test class registers it with
 * {@code @RegisterExtension final FakeGateway gateway = new FakeGateway();}, and each test gets a
 * fresh one, listening before the test's own set-up runs and stopped after the test.
 */
final class FakeGateway implements BeforeEachCallback, AfterEachCallback {
    static final String KEY = "test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<ObjectNode> scans = new ArrayList<>();
    final Map<String, ObjectNode> jobsByKey = new LinkedHashMap<>();
    final Map<String, String> requestByKey = new HashMap<>();
    final AtomicInteger uploads = new AtomicInteger();
    /** Each upload's whole multipart body, as received. */
    final List<byte[]> uploadBodies = new ArrayList<>();
    /** Each upload's {@code ct} part. */
    final List<byte[]> uploadedCts = new ArrayList<>();
    /** The id the next new job gets (a random one when {@code null}). */
    volatile UUID nextJobId;
    /** Routes that answer in turn, one answer per request, the last one from then on (checked before {@link #extra}). */
    final Map<String, java.util.Deque<Answer>> inTurn = new HashMap<>();
    /** Extra routes: exact path with its query ({@code path?query}), else the path alone, to an answer. */
    final Map<String, Answer> extra = new HashMap<>();
    /** The last request body each extra route received, by {@code METHOD path}. */
    final Map<String, byte[]> received = new HashMap<>();
    volatile boolean lookupRoute = true;

    record Answer(int status, String contentType, byte[] body, String link) {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }

        /** @param next the next page's reference @return this answer with {@code Link: <next>; rel="next"} */
        Answer withNext(String next) {
            return new Answer(status, contentType, body, "<" + next + ">; rel=\"next\"");
        }

        static Answer json(Object value) {
            try {
                return new Answer(200, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer text(String contentType, String body) {
            return new Answer(200, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private HttpServer server;
    private ExecutorService handlers;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        handlers.shutdownNow();
    }

    String url() {
        if (server == null) {
            throw new IllegalStateException("the stand-in gateway listens only during a test: register it with @RegisterExtension");
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code args} followed by the options that point a job command at this gateway with {@link #KEY}. */
    String[] connected(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--gateway";
        all[args.length + 1] = url();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = KEY;
        return all;
    }

    private synchronized void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String query = x.getRequestURI().getRawQuery();
            byte[] body = x.getRequestBody().readAllBytes();
            if (!KEY.equals(x.getRequestHeaders().getFirst("X-Api-Key"))) {
                send(x, 401, PROBLEM, error("X-Api-Key", "missing or unknown API key"));
                return;
            }
            String method = x.getRequestMethod();
            if (path.equals("/api/v1/scans") && method.equals("POST")) {
                upload(x, body);
            } else if (path.equals("/api/v1/scans") && method.equals("GET") && lookupRoute) {
                String sha = query == null ? "" : query.replaceFirst("^.*ctSha256=([0-9a-f]*).*$", "$1");
                ArrayNode out = JSON.createArrayNode();
                scans.stream().filter(s -> s.path("ct").path("sha256").asText().equals(sha)).forEach(out::add);
                send(x, 200, "application/json", JSON.writeValueAsBytes(out));
            } else if (path.equals("/api/v1/jobs") && method.equals("POST")) {
                submit(x, body);
            } else if (inTurn.containsKey(path)) {
                java.util.Deque<Answer> answers = inTurn.get(path);
                Answer a = answers.size() > 1 ? answers.poll() : answers.peek();
                send(x, a.status(), a.contentType(), a.body());
            } else if (extra.containsKey(path + "?" + query) || extra.containsKey(path)) {
                received.put(method + " " + path, body);
                Answer a = extra.getOrDefault(path + "?" + query, extra.get(path));
                if (a.link() != null) {
                    x.getResponseHeaders().set("Link", a.link());
                }
                send(x, a.status(), a.contentType(), a.body());
            } else if (path.equals("/api/v1/scans") && method.equals("GET")) {
                send(x, 405, null, new byte[0]);
            } else {
                send(x, 404, null, new byte[0]);
            }
        }
    }

    private void upload(HttpExchange x, byte[] body) throws IOException {
        String type = x.getRequestHeaders().getFirst("Content-Type");
        Map<String, byte[]> parts = multipart(body, type.substring(type.indexOf("boundary=") + 9));
        if (!parts.containsKey("ct")) {
            send(x, 400, PROBLEM, error("ct", "part required"));
            return;
        }
        uploads.incrementAndGet();
        uploadBodies.add(body);
        uploadedCts.add(parts.get("ct"));
        ObjectNode scan = JSON.createObjectNode();
        scan.put("id", UUID.randomUUID().toString());
        scan.put("state", "RECEIVED");
        for (String part : List.of("ct", "transform", "labels")) {
            if (parts.containsKey(part)) {
                scan.putObject(part).put("key", part).put("sha256", sha256(parts.get(part))).put("sizeBytes", parts.get(part).length);
            } else {
                scan.putNull(part);
            }
        }
        scan.put("createdAt", Instant.now().toString());
        scans.add(scan);
        send(x, 201, "application/json", JSON.writeValueAsBytes(scan));
    }

    private void submit(HttpExchange x, byte[] body) throws IOException {
        String key = x.getRequestHeaders().getFirst("Idempotency-Key");
        String request = JSON.readTree(body).toString();
        ObjectNode earlier = jobsByKey.get(key);
        if (earlier != null) {
            if (!requestByKey.get(key).equals(request)) {
                send(x, 422, PROBLEM, error("Idempotency-Key", "key used for another request"));
            } else {
                send(x, 200, "application/json", JSON.writeValueAsBytes(earlier));
            }
            return;
        }
        JsonNode r = JSON.readTree(body);
        ObjectNode job = JSON.createObjectNode();
        job.put("id", (nextJobId != null ? nextJobId : UUID.randomUUID()).toString());
        job.put("kind", r.path("kind").asText().toUpperCase());
        job.put("state", "SUBMITTED");
        job.put("idempotencyKey", key);
        job.set("scanIds", r.path("scanIds"));
        jobsByKey.put(key, job);
        requestByKey.put(key, request);
        send(x, 201, "application/json", JSON.writeValueAsBytes(job));
    }

    /** The media type of the gateway's error answers (RFC 9457). */
    static final String PROBLEM = "application/problem+json";

    /** A problem document as the gateway writes it, naming the part at fault. */
    static byte[] error(String part, String error) {
        ObjectNode problem = JSON.createObjectNode().put("type", "about:blank").put("title", "refused").put("detail", error)
                .put("part", part);
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }

    /** The parts of a multipart body by name (their content, without the part headers). */
    static Map<String, byte[]> multipart(byte[] body, String boundary) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] headEnd = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        // the body starts with "--boundary" without a leading CRLF
        int pos = indexOf(body, ("--" + boundary).getBytes(StandardCharsets.US_ASCII), 0) + boundary.length() + 2;
        while (pos < body.length && !(body[pos] == '-' && body[pos + 1] == '-')) {
            int headersEnd = indexOf(body, headEnd, pos);
            String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
            String name = headers.replaceFirst("(?s).*?\\bname=\"([^\"]*)\".*", "$1");
            int next = indexOf(body, delimiter, headersEnd + 4);
            byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
            parts.put(name, content);
            pos = next + delimiter.length;
        }
        return parts;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("multipart delimiter not found");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
