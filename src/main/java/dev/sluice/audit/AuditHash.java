package dev.sluice.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash chain of the audit log. An event's hash is SHA-256 over the previous event's hash and
 * the event's canonical content: a JSON array of its fields in a fixed order, with the time at
 * microsecond precision (what PostgreSQL keeps). Pure.
 */
public final class AuditHash {
    /** The "previous hash" of the first event. */
    public static final String GENESIS = "0".repeat(64);

    /**
     * Not the shared {@code domain.Json} mapper: every stored hash was computed over this canonical
     * form, so it must not follow changes to the app's JSON settings.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditHash() {}

    public static String of(
            String previousHash,
            long id,
            Instant at,
            String actor,
            String action,
            String runId,
            String planName,
            String subject,
            String from,
            String to,
            String reason,
            String details) {
        String canonical;
        try {
            canonical = JSON.writeValueAsString(Arrays.asList(
                    id, at.toString(), actor, action, runId, planName, subject, from, to, reason, details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** An instant as stored: truncated to microseconds. */
    public static Instant stored(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
