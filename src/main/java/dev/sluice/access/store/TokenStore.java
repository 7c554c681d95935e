package dev.sluice.access.store;

import dev.sluice.access.Scopes;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import dev.sluice.runtime.BackgroundWork;
import dev.sluice.runtime.DatabaseUnavailable;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * API tokens: {@code slc_<id>_<secret>}. The id finds the token; the secret is checked against a
 * stored SHA-256 in constant time. Verified tokens are cached for a few seconds, so the request
 * path does not touch the database; a revocation reaches other replicas within that time.
 *
 * <p>While the database cannot be reached ({@link DatabaseUnavailable}), a token verified against it
 * in the last {@link TokenCacheSettings#outageGrace()} keeps its cached answer (fail static
 * covers authentication: permits go on), and the database is asked again at most once per cache
 * period per token; a token with no cached answer fails with {@link DatabaseUnavailable} (a 503,
 * never a 500 or a 401). A database that hangs instead of refusing counts as unreachable for such a
 * token after {@link #FALLBACK_WAIT}. Thread-safe.
 */
@ApplicationScoped
public class TokenStore {
    static final String FORMAT_REGEX = "slc_([a-z0-9]{8})_([A-Za-z0-9_-]{43})";
    static final Pattern FORMAT = Pattern.compile(FORMAT_REGEX);
    public static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a token with a cached answer within the outage grace waits for the database. */
    static final Duration FALLBACK_WAIT = Duration.ofMillis(250);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(TokenStore.class);

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    @Inject
    BackgroundWork work;

    /** A verified token: who it is and what it may do. */
    public record Caller(String tokenId, String name, Set<Role> roles, Scopes scopes) {}

    /** A token as listed: never its secret. */
    public record TokenView(
            String id,
            String name,
            List<String> roles,
            List<String> scopes,
            Instant createdAt,
            String createdBy,
            Instant revokedAt) {}

    /**
     * @param loadedAtNanos when the database last answered for this token
     * @param checkedAtNanos when the database was last asked (answered or not): the entry is fresh for
     *     {@link #CACHE_NANOS} after that
     */
    private record Cached(Optional<ApiTokenEntity> token, long loadedAtNanos, long checkedAtNanos) {}

    @Inject
    TokenCacheSettings settings;

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();

    /** The caller a bearer token stands for, if it is a valid, unrevoked token. */
    public Optional<Caller> verifyCached(String token) {
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        Cached c = cache.get(m.group(1));
        if (c == null || System.nanoTime() - c.checkedAtNanos() > CACHE_NANOS) {
            return null; // unknown here: the caller must load it (blocking)
        }
        return check(c.token(), m.group(2));
    }

    /** False once this replica has revoked the token (other replicas learn it within the cache time). */
    public boolean stillValid(String token) {
        Matcher m = FORMAT.matcher(token);
        return m.matches() && !revokedHere.contains(m.group(1));
    }

    /**
     * Like {@link #verifyCached} but loads the token from the database when needed. Blocking.
     *
     * @throws DatabaseUnavailable when the database cannot be reached and no answer for this token
     *     was cached within the outage grace
     */
    public Optional<Caller> verify(String token) {
        Optional<Caller> cached = verifyCached(token);
        if (cached != null) {
            return cached;
        }
        Matcher m = FORMAT.matcher(token);
        m.matches();
        String id = m.group(1);
        Optional<ApiTokenEntity> loaded;
        try {
            loaded = withinGrace(cache.get(id)) ? loadOrFallBack(id) : load(id);
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            return check(fromOutageGrace(id, e), m.group(2));
        }
        return check(loaded, m.group(2));
    }

    /**
     * A token that has an answer to fall back on waits at most {@link #FALLBACK_WAIT} for the
     * database: a database that hangs (a partition: no refusal, only silence) must not stall every
     * request that carries the token for the pool's timeouts. The load goes on on the worker pool
     * and its answer (a revocation included) is cached when it comes.
     */
    private Optional<ApiTokenEntity> loadOrFallBack(String id) {
        CompletableFuture<Optional<ApiTokenEntity>> load =
                CompletableFuture.supplyAsync(() -> load(id), work.workers());
        try {
            return load.get(FALLBACK_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new DatabaseUnavailable(
                    "token " + id + " was not read from the database within " + FALLBACK_WAIT.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailable("interrupted while reading token " + id, e);
        }
    }

    /** Reads the token and caches what the database answered. */
    private Optional<ApiTokenEntity> load(String id) {
        // Its own transaction, so a connection failure is caught here, outside it, not at commit.
        Optional<ApiTokenEntity> loaded = QuarkusTransaction.requiringNew().call(() -> {
            Optional<ApiTokenEntity> found = ApiTokenEntity.<ApiTokenEntity>findByIdOptional(id);
            found.ifPresent(e -> ApiTokenEntity.getEntityManager().detach(e));
            return found;
        });
        // Only real tokens are cached: random ids from a caller must not grow the cache.
        if (loaded.isPresent()) {
            long now = System.nanoTime();
            cache.put(id, new Cached(loaded, now, now));
        }
        return loaded;
    }

    private boolean withinGrace(Cached known) {
        return known != null
                && System.nanoTime() - known.loadedAtNanos()
                        <= settings.outageGrace().toNanos();
    }

    /** The cached token while the database is down, if it was loaded recently enough; else a 503. */
    private Optional<ApiTokenEntity> fromOutageGrace(String id, RuntimeException failure) {
        Cached stale = cache.get(id);
        if (!withinGrace(stale)) {
            throw new DatabaseUnavailable(
                    "token " + id
                            + " cannot be verified: the database cannot be reached and no recent answer is cached",
                    failure);
        }
        // Not asked again for another cache period: an outage must not add a failed round trip to
        // every request that carries this token.
        cache.replace(id, stale, new Cached(stale.token(), stale.loadedAtNanos(), System.nanoTime()));
        LOG.debugf("token %s answered from the outage grace: the database cannot be reached", id);
        return stale.token();
    }

    private static Optional<Caller> check(Optional<ApiTokenEntity> token, String secret) {
        if (token.isEmpty() || token.get().revokedAt != null) {
            return Optional.empty();
        }
        ApiTokenEntity e = token.get();
        if (!MessageDigest.isEqual(
                hash(secret).getBytes(StandardCharsets.US_ASCII), e.secretHash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : split(e.roles)) {
            roles.addAll(Role.of(r).included());
        }
        Scopes scopes = roles.contains(Role.ADMIN) ? Scopes.ANY : new Scopes(split(e.scopes));
        return Optional.of(new Caller(e.id, e.name, roles, scopes));
    }

    /**
     * Creates a token and returns it, the only time its secret is seen.
     *
     * @param value a given token value (bootstrap from configuration), or null to generate one
     */
    @Transactional
    public String create(String name, List<Role> roles, List<String> scopes, String createdBy, String value) {
        if (ApiTokenEntity.count("name", name) > 0) {
            throw new DomainException(
                    DomainException.Fault.TOKEN_EXISTS, "a token named \"" + name + "\" already exists");
        }
        String token = value != null ? value : generate();
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "a token has the form slc_<8 lower-case letters or digits>_<43 base64url" + " characters>");
        }
        ApiTokenEntity e = new ApiTokenEntity();
        e.id = m.group(1);
        e.name = name;
        e.secretHash = hash(m.group(2));
        e.roles = String.join(",", roles.stream().map(Role::wireName).toList());
        e.scopes = String.join(",", scopes);
        e.createdAt = clock.instant();
        e.createdBy = createdBy;
        e.persist();
        audit.append(
                e.createdAt,
                createdBy,
                "token-created",
                null,
                null,
                name,
                null,
                e.roles + (scopes.isEmpty() ? "" : " scopes " + e.scopes),
                "token " + e.id + " created",
                null);
        return token;
    }

    @Transactional
    public void revoke(String id, String actor, String reason) {
        ApiTokenEntity e = ApiTokenEntity.findById(id);
        if (e == null) {
            throw DomainException.notFound("no token with id \"" + id + "\"");
        }
        if (e.revokedAt == null) {
            e.revokedAt = clock.instant();
            audit.append(e.revokedAt, actor, "token-revoked", null, null, e.name, e.roles, null, reason, null);
        }
        cache.remove(id);
        revokedHere.add(id);
    }

    @Transactional
    public List<TokenView> list() {
        return ApiTokenEntity.<ApiTokenEntity>findAll(Sort.by("name")).stream()
                .map(e -> new TokenView(
                        e.id, e.name, split(e.roles), split(e.scopes), e.createdAt, e.createdBy, e.revokedAt))
                .toList();
    }

    @Transactional
    public long count() {
        return ApiTokenEntity.count();
    }

    static String generate() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder("slc_");
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }
}
