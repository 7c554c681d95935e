package dev.sluice.admission.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitFieldsTest {

    @Test
    void policyIsTheBucketsRateOverTheShortestWholeSecondWindowThatEarnsAPermit() {
        assertThat(RateLimitFields.policy("auth", 300, 300)).isEqualTo("\"auth\";q=300;w=1;sluice-burst=300");
        assertThat(RateLimitFields.policy("auth", 333.3, 333)).isEqualTo("\"auth\";q=333;w=1;sluice-burst=333");
        assertThat(RateLimitFields.policy("slow", 0.5, 1)).isEqualTo("\"slow\";q=1;w=2;sluice-burst=1");
        assertThat(RateLimitFields.policy("slow", 1 / 3.0, 1)).isEqualTo("\"slow\";q=1;w=3;sluice-burst=1");
    }

    @Test
    void aClosedServiceHasAZeroQuota() {
        assertThat(RateLimitFields.policy("b", 0, 0)).isEqualTo("\"b\";q=0;w=1;sluice-burst=0");
    }

    @Test
    void limitNamesThePolicyWithWhatIsLeftAndTheEffectiveWindow() {
        assertThat(RateLimitFields.limit("auth", 290, 1)).isEqualTo("\"auth\";r=290;t=1");
        assertThat(RateLimitFields.limit("auth", -1, -1)).isEqualTo("\"auth\";r=0;t=0");
    }

    @Test
    void aBucketIsFullAgainAfterTheMissingTokensRefillRoundedUp() {
        assertThat(RateLimitFields.secondsUntilFull(100, 100, 100)).isZero();
        assertThat(RateLimitFields.secondsUntilFull(100, 100, 99)).isEqualTo(1);
        assertThat(RateLimitFields.secondsUntilFull(100, 300, 0)).isEqualTo(3);
        assertThat(RateLimitFields.secondsUntilFull(0, 0, 0)).isZero();
    }
}
