package dev.sluice.notify.delivery;

import dev.sluice.notify.Notice;
import dev.sluice.notify.Payloads;
import dev.sluice.notify.TargetUrl;
import dev.sluice.notify.WebhookSignature;
import dev.sluice.notify.store.NotifySettings;
import dev.sluice.notify.store.Subscriptions.Target;
import dev.sluice.runtime.BackgroundWork;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Sends one signed notice to one target. Each target origin (scheme, host, port) has its own
 * fault-tolerance guard, a bulkhead and a timeout, and sends are asynchronous: a receiver that is
 * down or hangs holds at most its own bulkhead's slots, never a thread of the control loop and never
 * another receiver's turn. Thread-safe.
 */
@ApplicationScoped
public class WebhookSender {
    /** The most of a receiver's answer kept for the test action. */
    static final int ANSWER_BYTES = 1024;

    @Inject
    NotifySettings settings;

    @Inject
    Clock clock;

    @Inject
    BackgroundWork work;

    private volatile HttpClient http;
    private final ConcurrentMap<String, TypedGuard<CompletionStage<Outcome>>> guards = new ConcurrentHashMap<>();

    /** What a receiver answered: a status, or why there was none. */
    public record Outcome(Integer status, String error, String answer, long millis) {
        public boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        /** For the dead-letter list: the status, or the error. */
        public String describe() {
            return error != null ? error : "answered " + status;
        }
    }

    /** Signs and sends; the stage never fails, a failure is an {@link Outcome} without 2xx. */
    public CompletionStage<Outcome> send(Target target, Notice notice) {
        return send(target, notice, false);
    }

    /**
     * The same; with {@code keepAnswer}, the start of the receiver's answer is kept (the test action
     * shows it). Deliveries discard it.
     */
    public CompletionStage<Outcome> send(Target target, Notice notice, boolean keepAnswer) {
        String body = Payloads.body(notice, target.format());
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(settings.timeout())
                .header("Content-Type", target.format().contentType())
                .header("User-Agent", "sluice-notify/1")
                .header("webhook-id", notice.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.header(target.secrets(), notice.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        long started = System.nanoTime();
        CompletionStage<Outcome> sent;
        try {
            sent = guard(TargetUrl.origin(target.url()))
                    .call(() -> keepAnswer
                            ? client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                                    .thenApplyAsync(
                                            r -> new Outcome(r.statusCode(), null, readSome(r.body()), since(started)),
                                            work.workers())
                            : client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                                    .thenApply(r -> new Outcome(r.statusCode(), null, null, since(started))));
        } catch (Exception e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionally(failure -> new Outcome(null, describe(failure), null, since(started)));
    }

    private static long since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    private TypedGuard<CompletionStage<Outcome>> guard(String origin) {
        return guards.computeIfAbsent(
                origin,
                o -> TypedGuard.create(new TypeLiteral<CompletionStage<Outcome>>() {})
                        .withDescription("notify " + o)
                        .withTimeout()
                        .duration(settings.timeout().toMillis() + 500, ChronoUnit.MILLIS)
                        .done()
                        .withBulkhead()
                        .limit(settings.perTargetConcurrency())
                        .queueSize(settings.batchSize())
                        .done()
                        .build());
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder()
                            .connectTimeout(settings.timeout())
                            // No h2c upgrade on plain http: many webhook receivers mishandle it.
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .executor(work.workers())
                            .build();
                }
                c = http;
            }
        }
        return c;
    }

    /** The start of the answer, then the stream closed: a receiver cannot make Sluice read a lot. */
    private static String readSome(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(ANSWER_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** A failure in words, without the URL (it may carry a token in its path). */
    static String describe(Throwable failure) {
        Throwable t =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String type = t.getClass().getSimpleName();
        return switch (type) {
            case "HttpTimeoutException", "TimeoutException" -> "timed out";
            case "HttpConnectTimeoutException" -> "connect timed out";
            case "ConnectException" -> "connection refused";
            case "BulkheadException" -> "too many deliveries in flight to this receiver";
            default -> type + (t.getMessage() == null ? "" : ": " + t.getMessage());
        };
    }
}
