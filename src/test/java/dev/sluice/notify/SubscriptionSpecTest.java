package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.domain.DomainException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SubscriptionSpecTest {
    @Test
    void aValidRequestDefaultsToCloudEvents() {
        SubscriptionSpec s = SubscriptionSpec.of("https://hooks.example.com/sluice", List.of("run-paused"), null, null);
        assertThat(s.format()).isEqualTo(Format.CLOUDEVENTS);
        assertThat(s.events()).containsExactly(EventType.RUN_PAUSED);
        assertThat(s.planName()).isNull();
    }

    @Test
    void onlyHttpAndHttpsTargetsAreAccepted() {
        refused(
                () -> SubscriptionSpec.of("ftp://example.com/x", List.of("run-paused"), null, null),
                "/url",
                "http-or-https");
        refused(() -> SubscriptionSpec.of("example.com/x", List.of("run-paused"), null, null), "/url", "http-or-https");
        refused(() -> SubscriptionSpec.of("http://exa mple.com", List.of("run-paused"), null, null), "/url", "url");
        refused(() -> SubscriptionSpec.of(null, List.of("run-paused"), null, null), "/url", "required");
    }

    @Test
    void aTargetWithCredentialsIsRefusedSoTheyNeverReachALog() {
        refused(
                () -> SubscriptionSpec.of("https://bob:hunter2@example.com/x", List.of("run-paused"), null, null),
                "/url",
                "no-credentials");
    }

    @Test
    void anUnknownEventIsNamedByItsIndex() {
        refused(
                () -> SubscriptionSpec.of("https://example.com", List.of("run-paused", "run-exploded"), null, null),
                "/events/1",
                "event");
        refused(
                () -> SubscriptionSpec.of("https://example.com", List.of("notification-test"), null, null),
                "/events/0",
                "event");
        refused(() -> SubscriptionSpec.of("https://example.com", List.of(), null, null), "/events", "min-items");
    }

    @Test
    void aBadPlanNameOrFormatIsNamed() {
        refused(
                () -> SubscriptionSpec.of("https://example.com", List.of("run-paused"), "Demo!", null),
                "/plan",
                "plan-name");
        refused(
                () -> SubscriptionSpec.of("https://example.com", List.of("run-paused"), null, "xml"),
                "/format",
                "format");
    }

    @Test
    void logsSeeOnlyTheTargetsOrigin() {
        assertThat(TargetUrl.origin(TargetUrl.parse("/url", "https://hooks.slack.com/services/T0/B0/secret?x=1")))
                .isEqualTo("https://hooks.slack.com");
    }

    @Test
    void viewersSeeTheOriginAndThatSomethingFollowsButNotWhat() {
        assertThat(TargetUrl.redacted(TargetUrl.parse("/url", "https://hooks.slack.com/services/T0/B0/secret")))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(TargetUrl.redacted(TargetUrl.parse("/url", "http://10.0.0.5:8080/?token=abc")))
                .isEqualTo("http://10.0.0.5:8080/…");
        assertThat(TargetUrl.redacted(TargetUrl.parse("/url", "https://example.com/")))
                .as("nothing to hide")
                .isEqualTo("https://example.com");
    }

    private static void refused(ThrowingCallable call, String pointer, String rule) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.pointer()).isEqualTo(pointer);
            assertThat(e.rule()).isEqualTo(rule);
        });
    }
}
