package dev.sluice.admission.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.UInt64Value;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rate-limit service driven as Envoy drives it: a grpc-java blocking stub of Envoy's generated
 * {@code RateLimitService}, on the application's HTTP port, with a domain, descriptors of entries,
 * {@code hits_addend}, and the client token in the call's metadata (Envoy's {@code
 * initial_metadata}). No Envoy binary runs on these machines; this is the wire contract it uses.
 */
@QuarkusTest
class EnvoyRateLimitIT {
    @Inject
    MutableClock clock;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port)
                .usePlaintext()
                .build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void grantsWithinTheRateThenSaysOverLimitWithTheRetryHeadersFromTheSameBucketAsRestPermits() {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("env-run"), "env-run", "envoy test");
        RunsOverHttp.fillBuckets(clock, run, "a"); // 100 permits at 100/s
        String token = clientToken("envoy-proxy-run", "env-run/*");

        RateLimitResponse granted = stub(token).shouldRateLimit(request(40, descriptor("plan", "env-run", "a")));
        assertThat(granted.getOverallCode()).isEqualTo(Code.OK);
        RateLimitResponse.DescriptorStatus status = granted.getStatuses(0);
        assertThat(status.getCode()).isEqualTo(Code.OK);
        assertThat(status.getCurrentLimit().getRequestsPerUnit()).isEqualTo(100);
        assertThat(status.getCurrentLimit().getUnit()).isEqualTo(RateLimitResponse.RateLimit.Unit.SECOND);
        assertThat(status.getCurrentLimit().getName()).isEqualTo("a");
        assertThat(status.getLimitRemaining()).isEqualTo(60);
        assertThat(headers(granted))
                .containsEntry("ratelimit-policy", "\"a\";q=100;w=1;sluice-burst=100")
                .containsEntry("ratelimit", "\"a\";r=60;t=1")
                .doesNotContainKey("retry-after");

        // The REST permit at the run's address takes the rest of the same bucket...
        TestTokens.as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("count", 60))
                .post("/api/v1/runs/" + run + "/services/a/permits")
                .then()
                .statusCode(200)
                .body("remaining", equalTo(0));

        // ...so Envoy's next request, addressed by run this time, is over the limit.
        RateLimitResponse over = stub(token).shouldRateLimit(request(0, descriptor("run", run, "a")));
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getLimitRemaining()).isZero();
        Map<String, String> h = headers(over);
        long retryAfterSeconds = Long.parseLong(h.get("retry-after"));
        long retryAfterMillis = Long.parseLong(h.get("retry-after-ms"));
        assertThat(retryAfterSeconds).isBetween(1L, 2L); // the plan's 2 s spread, as REST permits
        assertThat(retryAfterMillis).isBetween(10L, 2_010L); // one permit at 100/s: 10 ms, plus jitter
        assertThat(h)
                .containsEntry("sluice-reason", "over-rate")
                .containsEntry("ratelimit", "\"a\";r=0;t=" + retryAfterSeconds);
        assertThat(over.getStatuses(0).getDurationUntilReset().getSeconds() * 1000
                        + over.getStatuses(0).getDurationUntilReset().getNanos() / 1_000_000)
                .isEqualTo(retryAfterMillis);
    }

    @Test
    void severalDescriptorsAreOverLimitWhenAnyIsAndEachHasItsOwnStatus() {
        String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("env-many"), "env-many", "envoy test");
        RunsOverHttp.fillBuckets(clock, run, "a");
        RateLimitResponse answer = stub(clientToken("envoy-proxy-many", "env-many/*"))
                .shouldRateLimit(request(
                        1, descriptor("plan", "env-many", "a"), descriptor("service", "b", "plan", "env-many")));
        assertThat(answer.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(answer.getStatusesList())
                .extracting(RateLimitResponse.DescriptorStatus::getCode)
                .containsExactly(Code.OK, Code.OVER_LIMIT);
        assertThat(headers(answer))
                .containsEntry("sluice-reason", "blocked") // b waits for a
                .containsEntry("ratelimit-policy", "\"a\";q=100;w=1;sluice-burst=100, \"b\";q=0;w=1;sluice-burst=0")
                .containsKey("retry-after");
    }

    @Test
    void withoutARunThePlanAnswersWhatItsWhenNoRunSays() {
        storePlan(RunPlans.pushPlan("env-closed"));
        storePlan(RunPlans.pushPlan("env-open")
                .replace(
                        "\"policy\":",
                        "\"admission\": {\"whenNoRun\": \"open\", \"unrestrictedSeconds\": 45}, \"policy\":"));
        var stub = stub(clientToken("envoy-proxy-norun", "env-closed/*", "env-open/*"));

        RateLimitResponse closed = stub.shouldRateLimit(request(1, descriptor("plan", "env-closed", "a")));
        assertThat(closed.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(headers(closed)).containsEntry("sluice-reason", "no-run").containsKey("retry-after-ms");
        assertThat(Long.parseLong(headers(closed).get("retry-after"))).isBetween(1L, 2L);

        RateLimitResponse open = stub.shouldRateLimit(request(7, descriptor("plan", "env-open", "a")));
        assertThat(open.getOverallCode()).isEqualTo(Code.OK);
        assertThat(open.getStatuses(0).hasCurrentLimit()).isFalse();
        assertThat(headers(open)).containsEntry("sluice-unrestricted", "45").doesNotContainKey("retry-after");
    }

    @Test
    void unknownPlansServicesAndEntriesAreRefusedNamingWhat() {
        storePlan(RunPlans.pushPlan("env-unknown"));
        var stub = stub(clientToken("envoy-proxy-any", "*"));
        assertStatus(
                () -> stub.shouldRateLimit(request(1, descriptor("plan", "no-such-plan", "a"))),
                Status.Code.NOT_FOUND,
                "no-such-plan");
        assertStatus(
                () -> stub.shouldRateLimit(request(1, descriptor("plan", "env-unknown", "zzz"))),
                Status.Code.NOT_FOUND,
                "has no service zzz");
        assertStatus(
                () -> stub.shouldRateLimit(request(1, descriptor("plan", "env-unknown", "service", "a", "path", "/x"))),
                Status.Code.INVALID_ARGUMENT,
                "/descriptors/0/entries/2/key");
        assertStatus(
                () -> stub.shouldRateLimit(request(1, descriptor("service", "a"))),
                Status.Code.INVALID_ARGUMENT,
                "exactly one of plan and run");
        assertStatus(
                () -> stub.shouldRateLimit(request("other-domain", 1, descriptor("plan", "env-unknown", "a"))),
                Status.Code.INVALID_ARGUMENT,
                "/domain");
    }

    @Test
    void aMissingOrBadTokenIsUnauthenticatedAndAnotherPlansTokenIsDeniedAndAudited() {
        storePlan(RunPlans.pushPlan("env-auth"));
        RateLimitRequest ask = request(1, descriptor("plan", "env-auth", "a"));
        assertStatus(
                () -> RateLimitServiceGrpc.newBlockingStub(channel).shouldRateLimit(ask),
                Status.Code.UNAUTHENTICATED,
                "needs a client token");
        assertStatus(
                () -> stub("slc_nosuchid_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                        .shouldRateLimit(ask),
                Status.Code.UNAUTHENTICATED,
                "not valid");
        assertStatus(
                () -> stub(clientToken("envoy-other-plan", "someone-else/*")).shouldRateLimit(ask),
                Status.Code.PERMISSION_DENIED,
                "no scope for env-auth/a");
        assertStatus(
                () -> stub(TestTokens.operator("envoy-operator")).shouldRateLimit(ask),
                Status.Code.PERMISSION_DENIED,
                "do not allow");
        Awaitility.await("the scope refusal is audited")
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(given().queryParam("action", "access-denied")
                                .get("/api/v1/audit")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<String>>path("items.actor"))
                        .contains("envoy-other-plan"));
    }

    private RateLimitServiceGrpc.RateLimitServiceBlockingStub stub(String token) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return RateLimitServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static String clientToken(String name, String... scopes) {
        return TestTokens.token(name, List.of("client"), List.of(scopes));
    }

    private static RateLimitRequest request(int hitsAddend, RateLimitDescriptor... descriptors) {
        return request("sluice", hitsAddend, descriptors);
    }

    private static RateLimitRequest request(String domain, int hitsAddend, RateLimitDescriptor... descriptors) {
        return RateLimitRequest.newBuilder()
                .setDomain(domain)
                .addAllDescriptors(List.of(descriptors))
                .setHitsAddend(hitsAddend)
                .build();
    }

    /** A descriptor of {@code plan|run}=target and {@code service}=name, as Envoy's generic_key actions make it. */
    private static RateLimitDescriptor descriptor(String kind, String target, String service) {
        return descriptor(kind, target, "service", service);
    }

    private static RateLimitDescriptor descriptor(String... keysAndValues) {
        RateLimitDescriptor.Builder d = RateLimitDescriptor.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.addEntries(RateLimitDescriptor.Entry.newBuilder()
                    .setKey(keysAndValues[i])
                    .setValue(keysAndValues[i + 1]));
        }
        return d.build();
    }

    static RateLimitDescriptor withHits(RateLimitDescriptor d, long hits) {
        return d.toBuilder().setHitsAddend(UInt64Value.of(hits)).build();
    }

    private static Map<String, String> headers(RateLimitResponse response) {
        return response.getResponseHeadersToAddList().stream()
                .collect(Collectors.toMap(HeaderValue::getKey, HeaderValue::getValue));
    }

    private static void assertStatus(Runnable call, Status.Code code, String descriptionPart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(descriptionPart);
        });
    }

    private static void storePlan(String json) {
        given().contentType(ContentType.JSON)
                .body(json)
                .post("/api/v1/plans")
                .then()
                .statusCode(201);
    }
}
