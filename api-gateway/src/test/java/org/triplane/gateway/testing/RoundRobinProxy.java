package org.triplane.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of several gateways, as a Kubernetes Service or an ingress puts it in front of
 * the replicas: each GET goes to the next gateway in turn, with its path, query and {@code X-Api-Key},
 * and comes back with the gateway's status, content type and body. Remembers which gateway answered
 * each request. Close it.
 */
public final class RoundRobinProxy implements AutoCloseable {

    private static final Set<String> FORWARDED = Set.of("X-Api-Key");

    private final List<String> backends;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final List<String> answeredBy = new ArrayList<>();

    /** @param backends base URLs, e.g. {@code http://127.0.0.1:41234} */
    public RoundRobinProxy(List<String> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    /** @return the one address, e.g. {@code http://127.0.0.1:41235} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the backend that answered each request so far, in order */
    public synchronized List<String> answeredBy() {
        return List.copyOf(answeredBy);
    }

    private void forward(HttpExchange exchange) throws IOException {
        String backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
        try (exchange) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(60)).GET();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED.stream().anyMatch(name::equalsIgnoreCase)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
            synchronized (this) {
                answeredBy.add(backend);
            }
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + backend, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
