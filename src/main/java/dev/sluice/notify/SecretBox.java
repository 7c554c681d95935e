package dev.sluice.notify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing secrets at rest: AES-256-GCM under a key that lives outside the database (the
 * environment, a mounted Secret, or a file in the data directory), so a copy of the database alone
 * cannot sign. Stored form: {@code v1:<base64 of 12-byte nonce + ciphertext + tag>}; the
 * subscription id is bound in as associated data, so a secret cannot be moved to another
 * subscription's row. Thread-safe.
 */
public final class SecretBox {
    static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    /** @param key 32 bytes */
    public SecretBox(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the notification secret key is 32 bytes (base64: 44 characters)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
    }

    public String seal(String subscriptionId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, subscriptionId);
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws IllegalStateException when the stored secret was sealed under another key, or altered */
    public String open(String subscriptionId, String stored) {
        if (!stored.startsWith(VERSION)) {
            throw new IllegalStateException("not a sealed secret");
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        byte[] nonce = java.util.Arrays.copyOfRange(all, 0, NONCE_BYTES);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, subscriptionId);
            return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "a subscription's secret does not open with the configured key (was the key changed?)");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String subscriptionId) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
