package dev.sluice.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>):
 * a secret is {@code whsec_} followed by the base64 of its key bytes; a signature is {@code v1,}
 * followed by the base64 HMAC-SHA256, under the key, of {@code <webhook-id>.<webhook-timestamp>.<body>}.
 * While a secret is being rotated, the header carries one signature per secret, separated by spaces,
 * and a receiver accepts a message if any of them verifies. Thread-safe.
 */
public final class WebhookSignature {
    public static final String PREFIX = "whsec_";
    static final int KEY_BYTES = 32;

    private WebhookSignature() {}

    /** A new secret: 256 random bits. */
    public static String newSecret(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>} under {@code secret}. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The {@code webhook-signature} header: one signature per secret in force, newest first. */
    public static String header(List<String> secrets, String id, long timestampSeconds, String body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret signs");
        }
        return secrets.stream().map(s -> sign(s, id, timestampSeconds, body)).collect(Collectors.joining(" "));
    }
}
