package dev.sluice.k8s;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who asked for a Kubernetes object, as the admission webhook saw it, and the proof that the
 * webhook (not the object's author) wrote it: an HMAC-SHA256 over the object's kind, namespace and
 * name and the requesting user and groups, keyed by a secret only Sluice's replicas know. An author
 * who writes the annotations by hand cannot produce the signature, so without the webhook the actor
 * stays unverified. Pure and thread-safe.
 */
public final class Attribution {
    private static final String HMAC = "HmacSHA256";

    private Attribution() {}

    /**
     * What a stamp names an object by. A mutating webhook sees an object before the API server
     * generates its name ({@code generateName}), so such an object is named by its prefix.
     */
    public static String subjectName(String name, String generateName) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        return "generateName:" + (generateName == null ? "" : generateName);
    }

    /** The signature of a stamp, base64url without padding. */
    public static String sign(byte[] key, String kind, String namespace, String name, String user, String groups) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            String subject = String.join("\n", kind, namespace, name, user, groups == null ? "" : groups);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is the stamp's signature (compared in constant time). */
    public static boolean verify(
            byte[] key, String kind, String namespace, String name, String user, String groups, String signature) {
        if (user == null || user.isBlank() || signature == null) {
            return false;
        }
        byte[] expected = sign(key, kind, namespace, name, user, groups).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
}
