package dev.sluice.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real webhook receiver on a local port: keeps every request it gets (headers and body), answers
 * {@link #status}, and can hang (until {@link #release}) or be down (nothing listening on its port).
 */
final class Receiver implements AutoCloseable {
    record Received(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    final int port;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    private volatile CountDownLatch hang;
    private HttpServer server;

    private Receiver(int port) {
        this.port = port;
    }

    /** A receiver listening now. */
    static Receiver up() {
        Receiver r = new Receiver(0);
        r.start();
        return r;
    }

    /** A receiver whose port has nothing listening yet: connections are refused until {@link #start}. */
    static Receiver down() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return new Receiver(probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CountDownLatch h = hang;
            if (h != null) {
                try {
                    h.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(new Received(headers, body));
            byte[] answer = "thanks".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    int boundPort() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + (server == null ? port : boundPort()) + "/hooks/sluice";
    }

    /** From now on requests wait until {@link #release}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hang;
        hang = null;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public synchronized void close() {
        release();
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }
}
