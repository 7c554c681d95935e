package dev.sluice.health.source;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as UTF-8 text, but never more than a limit: a declared
 * {@code Content-Length} above it is refused before the body is read, and a body that grows past it
 * is cut off (the exchange cancelled). A health source's answer can then not exhaust memory,
 * whatever the target sends.
 */
final class BoundedBody {
    private BoundedBody() {}

    /** Thrown (as the cause of the client's {@link IOException}) when a body is over the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("answer larger than " + limit + " bytes");
        }
    }

    /**
     * Only the status and headers: the body is never read, the exchange is given up as soon as the
     * headers are in. A probe then costs the same whatever the target sends after them — a body
     * trickled a byte at a time or one without end ({@code discarding()} would read either to its
     * end, past the probe's timeout, which only covers the headers).
     */
    static HttpResponse.BodyHandler<Void> statusOnly() {
        return info -> new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

            @Override
            public CompletionStage<Void> getBody() {
                return done;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        };
    }

    static HttpResponse.BodyHandler<String> ofString(int maxBytes) {
        return info -> {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            return new Subscriber(maxBytes, declared > maxBytes);
        };
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<String> {
        private final int maxBytes;
        private final boolean refuse;
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private byte[] bytes = new byte[1024];
        private int size;
        private Flow.Subscription subscription;

        Subscriber(int maxBytes, boolean refuse) {
            this.maxBytes = maxBytes;
            this.refuse = refuse;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (refuse) {
                s.cancel();
                body.completeExceptionally(new TooLarge(maxBytes));
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if ((long) size + n > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge(maxBytes));
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(bytes.length * 2, size + n)));
                }
                b.get(bytes, size, n);
                size += n;
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(new String(bytes, 0, size, StandardCharsets.UTF_8));
        }
    }
}
