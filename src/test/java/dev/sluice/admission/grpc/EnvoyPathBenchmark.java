package dev.sluice.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What one admission decision costs on each of a dependent's paths, measured, not asserted against a
 * time: a benchmark outside the suite (neither *Test nor *IT). Run it with
 * {@code ./mvnw -B verify -DskipUnitTests=true -Dit.test=EnvoyPathBenchmark -Dquarkus.http.test-port=0}
 * and read the {@code envoy-bench:} lines.
 *
 * <p>One caller, one decision at a time, over loopback, against the same running restoration: the
 * Envoy rate-limit service (gRPC, as Envoy calls it) and the REST permit endpoint at the plan's
 * address, alternating in rounds so the shared machine's noise falls on both. The test's clock does
 * not move, so after the first permits every decision is a refusal on both paths alike.
 */
@QuarkusTest
class EnvoyPathBenchmark {
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(4);
    private static final int ROUNDS = 4;

    @Test
    void oneDecisionOnEachPath() throws Exception {
        RunsOverHttp.storeAndStart(RunPlans.pushPlan("env-bench"), "env-bench", "envoy benchmark");
        String token = TestTokens.token("envoy-bench", List.of("client"), List.of("env-bench/*"));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port)
                .usePlaintext()
                .build();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            RateLimitServiceGrpc.RateLimitServiceBlockingStub envoy = RateLimitServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
            RateLimitRequest ask = RateLimitRequest.newBuilder()
                    .setDomain("sluice")
                    .addDescriptors(RateLimitDescriptor.newBuilder()
                            .addEntries(RateLimitDescriptor.Entry.newBuilder()
                                    .setKey("plan")
                                    .setValue("env-bench"))
                            .addEntries(RateLimitDescriptor.Entry.newBuilder()
                                    .setKey("service")
                                    .setValue("a")))
                    .setHitsAddend(1)
                    .build();
            HttpRequest permit = HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + RestAssured.port + "/api/v1/plans/env-bench/services/a/permits"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"count\":1}"))
                    .build();
            Path grpc = () -> envoy.shouldRateLimit(ask).getOverallCodeValue();
            Path rest = () ->
                    http.send(permit, HttpResponse.BodyHandlers.ofString()).statusCode();

            time(grpc, WARM_UP_NANOS);
            time(rest, WARM_UP_NANOS);
            List<long[]> grpcRounds = new ArrayList<>();
            List<long[]> restRounds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                grpcRounds.add(time(grpc, ROUND_NANOS));
                restRounds.add(time(rest, ROUND_NANOS));
            }
            report("envoy grpc", grpcRounds);
            report("rest permit", restRounds);
            assertThat(grpcRounds).allSatisfy(r -> assertThat(r).isNotEmpty());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One decision; answers its status so the call cannot be optimised away. */
    interface Path {
        int decide() throws Exception;
    }

    /** Latencies (nanoseconds) of back-to-back decisions for {@code nanos}. */
    private static long[] time(Path path, long nanos) throws Exception {
        long[] latencies = new long[1 << 20];
        int n = 0;
        long end = System.nanoTime() + nanos;
        long sink = 0;
        while (System.nanoTime() < end && n < latencies.length) {
            long started = System.nanoTime();
            sink += path.decide();
            latencies[n++] = System.nanoTime() - started;
        }
        assertThat(sink).isNotNegative();
        return Arrays.copyOf(latencies, n);
    }

    private static void report(String path, List<long[]> rounds) {
        List<String> perRound = new ArrayList<>();
        long[] all = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        for (long[] r : rounds) {
            perRound.add(String.format(Locale.ROOT, "%.0f", r.length / (ROUND_NANOS / 1e9)));
        }
        System.out.printf(
                Locale.ROOT,
                "envoy-bench: %-11s decisions/s per round %s; latency p50 %.0f µs, p99 %.0f µs (%d decisions)%n",
                path,
                perRound,
                all[all.length / 2] / 1e3,
                all[(int) (all.length * 0.99)] / 1e3,
                all.length);
    }
}
