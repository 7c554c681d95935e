package dev.sluice.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP storage tier coming back from an outage.
 *
 * <p>{@code POST /work} is one request of work. It joins one FIFO queue served at the schedule's
 * capacity C(t), less what thrashing costs. The client's deadline comes in {@code X-Timeout-Millis}:
 * when it passes, the tier answers {@code 504} at once (as a propagated deadline would), but the
 * request stays queued and still costs a unit of work when its turn comes — the tier cannot take
 * back work it has accepted (that is {@code wasted}). Served in time: {@code 200}. While C(t) = 0
 * the tier answers {@code 503} at once.
 *
 * <p>Thrashing: with more than {@code thrashAfterQueueSeconds} of work queued (queue ÷ C), the tier
 * loses {@code lossSharePerQueueSecond} of its capacity per further second of queue, up to
 * {@code maxLossShare} (lock contention, cache churn, GC). That positive feedback is what makes
 * naive reopening metastable: overload shrinks the capacity that would drain it.
 *
 * <p>A stale queue: {@code staleRequests} requests queued before or during the outage, whose
 * clients are long gone, sit at the head of the queue at t = 0 and are served first (all wasted).
 *
 * <p>{@code GET /healthz}: 200 when up and the queue holds less than a second of work, else 503.
 * {@code GET /metrics}: Prometheus text.
 */
final class TierEmulator implements AutoCloseable {

    /** How the tier degrades. */
    record Thrashing(double thrashAfterQueueSeconds, double lossSharePerQueueSecond, double maxLossShare) {}

    private static final class Entry {
        final HttpExchange exchange; // null for stale work: nobody waits for it
        final long arrivalNanos;
        final long deadlineNanos;
        boolean answered;

        Entry(HttpExchange exchange, long arrivalNanos, long deadlineNanos) {
            this.exchange = exchange;
            this.arrivalNanos = arrivalNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final CapacitySchedule schedule;
    private final Thrashing thrashing;
    private final HttpServer server;
    private final Thread engine;
    private final ConcurrentLinkedQueue<Entry> inbox = new ConcurrentLinkedQueue<>();
    private final long startNanos;
    private volatile boolean running = true;

    // Engine-owned state.
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final PriorityQueue<Entry> byDeadline =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));
    private double serveCredit;

    // Counters, read by /metrics and the recorder.
    final AtomicLong requests = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong deadlineExceeded = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong served = new AtomicLong();
    final AtomicLong wasted = new AtomicLong();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile int queueDepth;
    private volatile int peakQueueDepthSinceRead;
    private volatile double capacityPerSecond;
    private volatile double effectiveCapacityPerSecond;

    TierEmulator(CapacitySchedule schedule, Thrashing thrashing, int staleRequests) throws IOException {
        this.schedule = schedule;
        this.thrashing = thrashing;
        this.startNanos = System.nanoTime();
        for (int i = 0; i < staleRequests; i++) {
            queue.add(new Entry(null, startNanos, startNanos));
        }
        queueDepth = queue.size();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/work", this::work);
        server.createContext("/healthz", this::healthz);
        server.createContext("/metrics", this::metrics);
        // Handlers only enqueue; two threads keep accepting while the engine writes answers.
        server.setExecutor(Executors.newFixedThreadPool(2, r -> daemon(r, "tier-http")));
        server.start();
        engine = daemon(this::runEngine, "tier-engine");
        engine.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    double capacityPerSecond() {
        return capacityPerSecond;
    }

    double effectiveCapacityPerSecond() {
        return effectiveCapacityPerSecond;
    }

    int queueDepth() {
        return queueDepth;
    }

    /** The deepest the queue has been since the last call. */
    int takePeakQueueDepth() {
        int p = Math.max(peakQueueDepthSinceRead, queueDepth);
        peakQueueDepthSinceRead = queueDepth;
        return p;
    }

    private void work(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        long now = System.nanoTime();
        if (capacityPerSecond <= 0) {
            unavailable.incrementAndGet();
            respond(ex, 503, "down\n");
            return;
        }
        long timeoutMillis = 1000;
        String h = ex.getRequestHeaders().getFirst("X-Timeout-Millis");
        if (h != null) {
            try {
                timeoutMillis = Math.max(1, Long.parseLong(h.trim()));
            } catch (NumberFormatException ignored) {
                // keep the default
            }
        }
        inbox.add(new Entry(ex, now, now + timeoutMillis * 1_000_000L));
    }

    private void healthz(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        double c = capacityPerSecond;
        boolean up = c > 0 && queueDepth < c;
        respond(ex, up ? 200 : 503, up ? "ok\n" : "overloaded or down\n");
    }

    private void metrics(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        StringBuilder b = new StringBuilder(2048);
        counter(b, "tier_requests_total", "requests received", requests.get());
        b.append("# TYPE tier_responses_total counter\n");
        b.append("tier_responses_total{code=\"200\"} ").append(ok.get()).append('\n');
        b.append("tier_responses_total{code=\"503\"} ").append(unavailable.get()).append('\n');
        b.append("tier_responses_total{code=\"504\"} ").append(deadlineExceeded.get()).append('\n');
        counter(b, "tier_errors_total", "503 and 504 answers", unavailable.get() + deadlineExceeded.get());
        counter(b, "tier_served_total", "units of work done, wasted included", served.get());
        counter(b, "tier_wasted_total", "work done for requests whose client had gone", wasted.get());
        gauge(b, "tier_queue_depth", queueDepth);
        gauge(b, "tier_capacity_per_second", capacityPerSecond);
        gauge(b, "tier_effective_capacity_per_second", effectiveCapacityPerSecond);
        latency.writePrometheus(b, "tier_response_latency_seconds");
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        respond(ex, 200, b.toString());
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder b, String name, double v) {
        b.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }

    /** The single thread that owns the queue: admits the inbox, expires deadlines, serves at C_eff(t). */
    private void runEngine() {
        long last = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            double dtSeconds = (now - last) / 1e9;
            last = now;
            Entry e;
            while ((e = inbox.poll()) != null) {
                queue.add(e);
                byDeadline.add(e);
            }
            expire(now);
            double c = schedule.ratePerSecondAt((now - startNanos) / 1e9);
            double queueSeconds = c > 0 ? queue.size() / c : 0;
            double loss = Math.min(
                    thrashing.maxLossShare(),
                    thrashing.lossSharePerQueueSecond()
                            * Math.max(0, queueSeconds - thrashing.thrashAfterQueueSeconds()));
            double effective = c * (1 - loss);
            capacityPerSecond = c;
            effectiveCapacityPerSecond = effective;
            serveCredit += effective * dtSeconds;
            while (serveCredit >= 1 && !queue.isEmpty()) {
                serveCredit -= 1;
                serve(queue.poll(), now);
            }
            if (queue.isEmpty()) {
                serveCredit = Math.min(serveCredit, 1); // an idle tier does not save capacity up
            }
            queueDepth = queue.size();
            if (queueDepth > peakQueueDepthSinceRead) {
                peakQueueDepthSinceRead = queueDepth;
            }
            sleepQuietly(2);
        }
    }

    private void expire(long now) {
        Entry e;
        while ((e = byDeadline.peek()) != null && e.deadlineNanos <= now) {
            byDeadline.poll();
            if (!e.answered) {
                e.answered = true;
                deadlineExceeded.incrementAndGet();
                latency.record((now - e.arrivalNanos) / 1e6);
                respondQuietly(e.exchange, 504, "deadline exceeded\n");
            }
        }
    }

    private void serve(Entry e, long now) {
        served.incrementAndGet();
        if (e.exchange == null || e.answered) {
            wasted.incrementAndGet();
            return;
        }
        e.answered = true; // stays in byDeadline until its deadline, where answered entries are skipped
        ok.incrementAndGet();
        latency.record((now - e.arrivalNanos) / 1e6);
        respondQuietly(e.exchange, 200, "ok\n");
    }

    private static void respondQuietly(HttpExchange ex, int code, String body) {
        try {
            respond(ex, code, body);
        } catch (IOException | RuntimeException gone) {
            // The client hung up; the work is done either way.
        }
    }

    private static void respond(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        engine.interrupt();
        server.stop(0);
    }
}
