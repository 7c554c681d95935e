package dev.sluice.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admission.RetryAfter;
import dev.sluice.admission.grpc.EnvoyRateLimitService.Answer;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.RateLimit.Unit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How the descriptors' answers become one Envoy response. */
class RateLimitAnswerTest {

    @Test
    void aRateBelowOnePerSecondIsStatedPerMinuteOrPerHourRatherThanAsZero() {
        assertThat(EnvoyRateLimitService.currentLimit("a", 250.7))
                .extracting(RateLimitResponse.RateLimit::getRequestsPerUnit, RateLimitResponse.RateLimit::getUnit)
                .containsExactly(250, Unit.SECOND);
        assertThat(EnvoyRateLimitService.currentLimit("a", 0.5))
                .extracting(RateLimitResponse.RateLimit::getRequestsPerUnit, RateLimitResponse.RateLimit::getUnit)
                .containsExactly(30, Unit.MINUTE);
        assertThat(EnvoyRateLimitService.currentLimit("a", 0.01))
                .extracting(RateLimitResponse.RateLimit::getRequestsPerUnit, RateLimitResponse.RateLimit::getUnit)
                .containsExactly(36, Unit.HOUR);
        assertThat(EnvoyRateLimitService.currentLimit("a", 0))
                .extracting(RateLimitResponse.RateLimit::getRequestsPerUnit, RateLimitResponse.RateLimit::getUnit)
                .containsExactly(0, Unit.SECOND);
    }

    @Test
    void severalRefusalsTellTheLongestWaitInBothPrecisionsAndEveryReason() {
        RateLimitResponse response = EnvoyRateLimitService.response(List.of(
                new Answer("a", "over-rate", 100, 100, 0, new RetryAfter(1_900, 2), null),
                new Answer("b", null, 50, 50, 49, null, null),
                new Answer("c", "blocked", 0, 0, 0, new RetryAfter(2_400, 1), null)));
        assertThat(response.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(response.getStatusesList())
                .extracting(RateLimitResponse.DescriptorStatus::getCode)
                .containsExactly(Code.OVER_LIMIT, Code.OK, Code.OVER_LIMIT);
        assertThat(headers(response))
                .containsEntry("retry-after", "2")
                .containsEntry("retry-after-ms", "2400")
                .containsEntry("sluice-reason", "over-rate, blocked")
                .containsEntry("ratelimit", "\"a\";r=0;t=2, \"b\";r=49;t=1, \"c\";r=0;t=1");
    }

    @Test
    void onlyWhenEveryDescriptorIsUnrestrictedDoesTheAnswerSaySoAndForTheShortestTime() {
        RateLimitResponse all = EnvoyRateLimitService.response(
                List.of(new Answer("a", null, 0, 0, 0, null, 45L), new Answer("b", null, 0, 0, 0, null, 30L)));
        assertThat(all.getOverallCode()).isEqualTo(Code.OK);
        assertThat(headers(all)).containsOnly(Map.entry("sluice-unrestricted", "30"));

        RateLimitResponse mixed = EnvoyRateLimitService.response(
                List.of(new Answer("a", null, 0, 0, 0, null, 45L), new Answer("b", null, 50, 50, 50, null, null)));
        assertThat(headers(mixed)).doesNotContainKey("sluice-unrestricted").containsKey("ratelimit");
    }

    private static Map<String, String> headers(RateLimitResponse response) {
        return response.getResponseHeadersToAddList().stream()
                .collect(Collectors.toMap(HeaderValue::getKey, HeaderValue::getValue));
    }
}
