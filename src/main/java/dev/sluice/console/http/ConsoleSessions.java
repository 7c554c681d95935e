package dev.sluice.console.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Console sign-ins: a random session id (the cookie) stands for an API token held here, in this
 * replica's memory, until sign-out or expiry. Held in memory on purpose: the token never leaves the
 * process (not in the page, not in a table), and every request re-verifies it through the token
 * store, so a revoked token ends its sessions within the store's cache time. The cost: a restart
 * or another replica behind a load balancer without sticky sessions asks the operator to sign in
 * again. Expiry is absolute from sign-in, on the injected clock. Thread-safe.
 */
@ApplicationScoped
public class ConsoleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;

    @ConfigProperty(name = "sluice.console.session-ttl", defaultValue = "8h")
    Duration ttl;

    /**
     * @param csrf the token every form of this session posts back
     */
    public record Session(String id, String token, String csrf, Instant expiresAt) {
        /** Constant-time: whether {@code offered} is this session's CSRF token. */
        public boolean csrfMatches(String offered) {
            return offered != null && MessageDigest.isEqual(csrf.getBytes(), offered.getBytes());
        }
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    public Session open(String token) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        Session s = new Session(randomId(), token, randomId(), now.plus(ttl));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id; an expired one is forgotten. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    public Duration ttl() {
        return ttl;
    }

    static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
