package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    /** The example of the Standard Webhooks specification. */
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330;
    static final String SPEC_BODY = "{\"test\": 2432232314}";

    @Test
    void signsIdDotTimestampDotBodyWithHmacSha256OfTheDecodedSecret() throws Exception {
        // Computed here independently, straight from the spec's definition.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SPEC_SECRET.substring(6)), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (SPEC_ID + "." + SPEC_TIMESTAMP + "." + SPEC_BODY).getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
                .isEqualTo(expected);
    }

    @Test
    void matchesTheSpecificationsPublishedExampleSignature() {
        assertThat(WebhookSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringARotationTheHeaderCarriesOneSignaturePerSecretNewestFirst() {
        String older = WebhookSignature.newSecret(new SecureRandom());
        String header = WebhookSignature.header(List.of(SPEC_SECRET, older), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        assertThat(header.split(" "))
                .containsExactly(
                        WebhookSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY),
                        WebhookSignature.sign(older, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void aNewSecretIsWhsecAndThirtyTwoRandomBytes() {
        String secret = WebhookSignature.newSecret(new SecureRandom());
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSignature.newSecret(new SecureRandom())).isNotEqualTo(secret);
    }

    @Test
    void aSecretWithoutThePrefixIsRefused() {
        assertThatThrownBy(() -> WebhookSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "{}"))
                .hasMessageContaining("whsec_");
    }
}
