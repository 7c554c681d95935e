package dev.sluice.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Where a dependent starts: which Sluice, which plan (or run) and service, then {@link
 * Builder#leases()} for a rate enforced locally or {@link Builder#permits()} to ask per request.
 *
 * <pre>{@code
 * try (Limiter sluice = SluiceClient.forPlan(URI.create("http://sluice:8080"), token, "demo", "auth")
 *         .wantPerSecond(200)
 *         .leases()) {
 *     if (sluice.tryAcquire()) {
 *         callTheTier();
 *     }
 * }
 * }</pre>
 */
public final class SluiceClient {
    private SluiceClient() {}

    /**
     * Admission at the plan's address: the plan's latest run, known before the incident (the address
     * needs no run id). The token needs the client role and a scope for {@code plan/service}.
     */
    public static Builder forPlan(URI sluice, String token, String plan, String service) {
        return new Builder(sluice, token, "/api/v1/plans/" + segment(plan) + "/services/" + segment(service), service);
    }

    /** Admission at one run's address. */
    public static Builder forRun(URI sluice, String token, String runId, String service) {
        return new Builder(sluice, token, "/api/v1/runs/" + segment(runId) + "/services/" + segment(service), service);
    }

    private static String segment(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
    }

    /** Optional settings; every one has a default. Not thread-safe; the limiters it builds are. */
    public static final class Builder {
        private final URI sluice;
        private final String token;
        private final String basePath;
        private final String service;
        private Transport transport;
        private String clientId;
        private double wantPerSecond = 1;
        private double safeRatePerSecond = 0;
        private LongSupplier backlog = () -> 0;
        private SluiceListener listener = new SluiceListener() {};
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = new SecureRandom();
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration pollInterval = Duration.ofMillis(100);
        private boolean background = true;

        private Builder(URI sluice, String token, String basePath, String service) {
            this.sluice = Objects.requireNonNull(sluice);
            this.token = Objects.requireNonNull(token);
            this.basePath = basePath;
            this.service = service;
        }

        /** A stable id of this instance (1–200 characters); default: the service and 8 random hex digits. */
        public Builder clientId(String clientId) {
            if (clientId == null || clientId.isBlank() || clientId.length() > 200) {
                throw new IllegalArgumentException("clientId: 1 to 200 characters");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * The least this instance asks a lease for, requests/s (default 1): it asks for what it
         * actually tried to send since the last refresh when that is more. Too low, and an idle client
         * that wakes is held to a small lease until its next refresh.
         */
        public Builder wantPerSecond(double wantPerSecond) {
            this.wantPerSecond = nonNegative("wantPerSecond", wantPerSecond);
            return this;
        }

        /**
         * The rate to enforce when Sluice cannot be reached before it ever named the plan's safe rate
         * (default 0: nothing, safe for the tier). Leases name the plan's {@code
         * policy.safeRatePerSecond} and replace this with it; the permit limiter always uses this.
         */
        public Builder safeRatePerSecond(double safeRatePerSecond) {
            this.safeRatePerSecond = nonNegative("safeRatePerSecond", safeRatePerSecond);
            return this;
        }

        /**
         * The requests this instance holds queued for the tier (read at every lease refresh and
         * permit ask): Sluice counts it as wanted within 10 s, so a backlog gets the spare budget.
         */
        public Builder backlog(LongSupplier backlog) {
            this.backlog = Objects.requireNonNull(backlog);
            return this;
        }

        public Builder listener(SluiceListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Every time decision reads this clock (default: the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How a blocking {@code acquire} waits (default: sleeping). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** The jitter's source (default: a {@link SecureRandom}). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** How long one request to Sluice may take, connecting included (default 2 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive("requestTimeout", requestTimeout);
            return this;
        }

        /** How often the lease thread looks for due work (default 100 ms), and the longest single wait of {@code acquire}. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * No background thread: the owner calls {@link LeaseLimiter#maintain()} itself (on its own
         * scheduler, or in tests after moving the clock).
         */
        public Builder manualMaintenance() {
            this.background = false;
            return this;
        }

        Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** A lease limiter; its background thread takes the first lease at once. */
        public LeaseLimiter leases() {
            return new LeaseLimiter(settings());
        }

        /** A per-request permit limiter. */
        public PermitLimiter permits() {
            return new PermitLimiter(settings());
        }

        private Settings settings() {
            String id =
                    clientId != null ? clientId : service + "-" + HexFormat.of().toHexDigits(random.nextInt());
            Transport t = transport != null ? transport : new HttpTransport(sluice, token, requestTimeout);
            return new Settings(
                    t,
                    basePath,
                    service,
                    id,
                    wantPerSecond,
                    safeRatePerSecond,
                    backlog,
                    listener,
                    clock,
                    sleeper,
                    random,
                    pollInterval,
                    background);
        }

        private static double nonNegative(String name, double value) {
            if (!(value >= 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + ": a finite number, 0 or more");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": more than zero");
            }
            return value;
        }
    }
}
