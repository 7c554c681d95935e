package dev.sluice.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A recovering tier with retrying clients, in fixed time steps. Pure and deterministic: the only
 * randomness is the demand noise, drawn from a seeded generator.
 *
 * <p>The tier. Requests the strategy admits join one FIFO queue in front of the tier, which serves
 * {@code capacity × dt} of them per step. A client waits {@code timeoutSeconds}; an attempt still
 * queued after that is abandoned — the copy stays queued and is served later as wasted work (the
 * tier cannot tell nobody waits for it). An attempt served in time is useful only if every service
 * it depends on is up; otherwise it fails. So load above capacity grows the queue, latency passes
 * the timeout, work is wasted and retries keep the load high: congestion collapse, which can
 * outlive its cause (a metastable failure).
 *
 * <p>The clients. Two kinds of work:
 * <ul>
 *   <li><b>Interactive</b>: the steady demand. A failed attempt (timed out, useless, refused with
 *       429, or rejected by the client's own adaptive throttle) is retried by the client's
 *       {@link RetryPolicy} until it runs out of attempts, then it fails for good. A client that
 *       honours Retry-After waits out a refusal instead: the same attempt goes again after the
 *       Retry-After, without using up an attempt, until its caller runs out of patience.</li>
 *   <li><b>Durable</b>: the backlog kept during the outage (queued jobs, buffered writes), replayed
 *       at up to {@code backlogPerSecond}. It is never given up: a failed or refused attempt goes
 *       back to the backlog (after the Retry-After for a client that honours it).</li>
 * </ul>
 *
 * <p>Retry amplification is measured at the tier: work admitted ÷ work admitted for the first time.
 * A request refused by admission never reached the tier, so its next attempt still counts as a
 * first visit; a request that timed out or failed did, so its next attempt is a re-visit.
 *
 * <p>The model is fluid: request counts are real numbers, and a random delay (backoff jitter, a
 * jittered Retry-After) spreads its requests evenly over its window instead of drawing each one.
 */
public final class Simulator {
    private static final double EPS = 1e-9;
    /**
     * A service is up when its goodput over the last second reached this share of the requests that
     * arrived for it in that second (its demand, noise included).
     */
    static final double UP_SHARE = 0.95;
    /** Its work counts as drained when no more than this many seconds of its demand are left pending. */
    static final double DRAINED_SECONDS = 1.0;
    /** Client-side adaptive throttling looks back this far. */
    static final int THROTTLE_HISTORY_SECONDS = 120;
    /** A retry budget holds at most this many seconds' worth of tokens. */
    static final double BUDGET_SECONDS = 10;
    /** Attempt number 0 marks durable work. */
    private static final int DURABLE = 0;

    private Simulator() {}

    /**
     * One client's requests admitted in one step, waiting in the tier's queue: a count per lane
     * (attempt × first visit or re-visit), served in proportion.
     */
    private static final class Cohort {
        final Client client;
        double[] lanes; // null once abandoned: only its count is still served
        double count;
        final double deadline;
        boolean abandoned;

        Cohort(Client client, double[] lanes, double count, double deadline) {
            this.client = client;
            this.lanes = lanes;
            this.count = count;
            this.deadline = deadline;
        }
    }

    /**
     * Requests due at later steps, per lane (attempt × first visit or re-visit), in a ring of step
     * slots. Spreading over a window costs O(1): a running rate with start and stop marks.
     */
    private static final class Schedule {
        final double[][] point;
        final double[][] rateChange;
        final double[] rate;
        final int length;
        double total;

        Schedule(int lanes, int length) {
            this.length = length;
            point = new double[lanes][length];
            rateChange = new double[lanes][length];
            rate = new double[lanes];
        }

        void add(int lane, long step, double count) {
            point[lane][(int) (step % length)] += count;
            total += count;
        }

        /** Spreads {@code count} evenly over the steps {@code from} to {@code to}, both included. */
        void spread(int lane, long from, long to, double count) {
            double perStep = count / (to - from + 1);
            rateChange[lane][(int) (from % length)] += perStep;
            rateChange[lane][(int) ((to + 1) % length)] -= perStep;
            total += count;
        }

        /** What is due at {@code step}; must be called for every lane at every step. */
        double take(int lane, long step) {
            int slot = (int) (step % length);
            rate[lane] += rateChange[lane][slot];
            rateChange[lane][slot] = 0;
            if (rate[lane] < EPS) {
                rate[lane] = 0; // no drift below zero from floating-point sums
            }
            double due = point[lane][slot] + rate[lane];
            point[lane][slot] = 0;
            due = Math.min(due, Math.max(0, total));
            total -= due;
            return due;
        }
    }

    /** A per-second sliding sum over a number of whole seconds. */
    private static final class Window {
        final double[] seconds;
        double sum;
        double current;

        Window(int length) {
            seconds = new double[length];
        }

        void roll(long second) {
            int slot = (int) (second % seconds.length);
            sum += current - seconds[slot];
            seconds[slot] = current;
            current = 0;
        }

        double total() {
            return sum + current;
        }
    }

    private static final class Client {
        final int index;
        final ClientProfile profile;
        final RetryPolicy retry;
        final int lanes;
        double backlogFirst; // durable work that never reached the tier
        double backlogRevisit; // durable work that failed at the tier and waits to be replayed
        double durableDue; // durable work refused, waiting out a Retry-After
        final Schedule due;
        final Deque<Cohort> waiting = new ArrayDeque<>(); // its live cohorts, in deadline order
        final int stepsPerSecond;
        final double[] goodSteps; // goodput of each step of the last second
        double goodLastSecond;
        final double[] freshSteps; // new requests of each step of the last second
        double freshLastSecond;
        double freshNow;
        final double refusalGiveUp; // share of interactive callers who give up while waiting out one refusal
        final Window throttleRequests = new Window(THROTTLE_HISTORY_SECONDS);
        final Window throttleAccepts = new Window(THROTTLE_HISTORY_SECONDS);
        double secondEnded; // attempts at the tier that ended this second
        double secondFailed;
        double budgetTokens;
        final double budgetCap;
        double originals;
        double good;
        double failed;
        double restoredAt = Double.NaN;

        Client(int index, ClientProfile profile, int stepsPerSecond, int ringSteps, long retryAfterSteps) {
            this.index = index;
            this.profile = profile;
            this.retry = profile.retry();
            this.lanes = 2 * (retry.maxAttempts() + 1);
            this.backlogFirst = profile.backlog();
            this.originals = profile.backlog();
            this.due = new Schedule(lanes, ringSteps);
            this.stepsPerSecond = stepsPerSecond;
            this.goodSteps = new double[stepsPerSecond];
            this.freshSteps = new double[stepsPerSecond];
            // Patience is exponential: a caller still waiting after w seconds does so with
            // probability e^(−w / patience); a refusal's re-send is spread evenly over the next
            // retryAfterSteps steps.
            double dt = 1.0 / stepsPerSecond;
            double stays = 0;
            for (long k = 1; k <= retryAfterSteps; k++) {
                stays += Math.exp(-k * dt / profile.patienceSeconds());
            }
            this.refusalGiveUp = 1 - stays / retryAfterSteps;
            this.budgetCap = retry.budgetRatio() * profile.demandPerSecond() * BUDGET_SECONDS;
            this.budgetTokens = budgetCap;
        }

        double pending() {
            double queued = 0;
            for (Cohort c : waiting) {
                queued += c.abandoned ? 0 : c.count;
            }
            return backlogFirst + backlogRevisit + queued + due.total;
        }

        /** The client-side throttling probability of the SRE book over the last two minutes. */
        double throttleProbability() {
            double requests = throttleRequests.total();
            return Math.max(0, (requests - retry.throttleK() * throttleAccepts.total()) / (requests + 1));
        }
    }

    private static int lane(int attempt, boolean revisit) {
        return 2 * attempt + (revisit ? 1 : 0);
    }

    /** Runs a strategy from the tier's return (t = 0) to the settings' horizon. */
    public static SimulationResult run(
            TierProfile tier, List<ClientProfile> profiles, AdmissionStrategy strategy, SimulationSettings settings) {
        Run run = new Run(tier, profiles, strategy, settings);
        long steps = Math.round(settings.horizonSeconds() / settings.dtSeconds());
        for (long step = 0; step < steps; step++) {
            run.step(step);
        }
        return run.result();
    }

    /** One simulation in progress. Each step: timeouts, offers, admission, service, observation. */
    private static final class Run {
        final TierProfile tier;
        final List<ClientProfile> profiles;
        final AdmissionStrategy strategy;
        final SimulationSettings settings;
        final double dt;
        final int perSecond;
        final Client[] clients;
        final int[][] dependsOn;
        final List<String> services;
        final SplittableRandom random;
        final long retryAfterSteps;
        final Deque<Cohort> queue = new ArrayDeque<>();
        /**
         * Abandoned work ahead of the queue's first cohort: served first, all of it wasted. Kept as
         * one number so the queue holds cohorts only as far back as the longest timeout, however
         * long the tier's queue is in time (memory per service does not grow with the horizon).
         */
        double abandonedAhead;

        final boolean[] up;
        final double[] serviceErrorRatio;
        final double[] offered;
        final double[] backlog;
        final double[] live;
        final double[] admitted;
        final double[] goodNow;
        final double[][] sending;
        final double tailSeconds;
        double queued;
        double wasted;
        double useless;
        double shed;
        double admittedTotal;
        double admittedFirstVisits;
        double overloadSeconds;
        double overloadVolume;
        double peakOverload;
        double restoredAt = Double.NaN;
        double tailGood;
        double tierSecondEnded;
        double tierSecondTimedOut;
        double tierErrorRatio;
        double secondCapacity;
        double secondOffered;
        double secondAdmitted;
        double secondGood;
        double latency;
        final List<Double> capacityLine = new ArrayList<>();
        final List<Double> offeredLine = new ArrayList<>();
        final List<Double> admittedLine = new ArrayList<>();
        final List<Double> goodLine = new ArrayList<>();
        final List<Double> latencyLine = new ArrayList<>();

        Run(TierProfile tier, List<ClientProfile> profiles, AdmissionStrategy strategy, SimulationSettings settings) {
            this.tier = tier;
            this.profiles = profiles;
            this.strategy = strategy;
            this.settings = settings;
            this.dt = settings.dtSeconds();
            this.perSecond = settings.stepsPerSecond();
            int ringSteps = ringSteps(profiles, settings);
            int n = profiles.size();
            retryAfterSteps = Math.max(1, Math.round(settings.retryAfterSeconds() / dt));
            clients = new Client[n];
            Map<String, Integer> indexOf = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                clients[i] = new Client(i, profiles.get(i), perSecond, ringSteps, retryAfterSteps);
                indexOf.put(profiles.get(i).name(), i);
            }
            dependsOn = new int[n][];
            for (int i = 0; i < n; i++) {
                dependsOn[i] = profiles.get(i).dependsOn().stream()
                        .mapToInt(indexOf::get)
                        .toArray();
            }
            services = List.copyOf(indexOf.keySet());
            random = new SplittableRandom(settings.seed());
            up = new boolean[n];
            serviceErrorRatio = new double[n];
            offered = new double[n];
            backlog = new double[n];
            live = new double[n];
            admitted = new double[n];
            goodNow = new double[n];
            sending = new double[n][];
            for (int i = 0; i < n; i++) {
                sending[i] = new double[clients[i].lanes];
            }
            tailSeconds = Math.max(1, Math.min(60, settings.horizonSeconds() / 4));
        }

        void step(long step) {
            double t = step * dt;
            double capacity = tier.capacityAt(t);
            expire(step, t);
            offer(step);
            latency = capacity > EPS ? queued / capacity : Double.POSITIVE_INFINITY;
            for (Client c : clients) {
                backlog[c.index] = c.backlogFirst + c.backlogRevisit + c.durableDue;
            }
            strategy.admit(
                    offered,
                    admitted,
                    new SimulationView(
                            services,
                            t,
                            dt,
                            capacity,
                            queued,
                            latency,
                            tierErrorRatio,
                            serviceErrorRatio,
                            up,
                            backlog,
                            live));
            enqueue(step, t);
            double servedUsefully = serve(step, t, capacity);
            observe(step, t, capacity, servedUsefully);
        }

        /** Clients give up on attempts that waited past their timeout. */
        void expire(long step, double t) {
            for (Client c : clients) {
                while (!c.waiting.isEmpty()
                        && (c.waiting.peekFirst().count <= EPS || c.waiting.peekFirst().deadline <= t)) {
                    Cohort expired = c.waiting.pollFirst();
                    if (expired.count > EPS) {
                        expired.abandoned = true;
                        c.secondEnded += expired.count;
                        c.secondFailed += expired.count;
                        tierSecondEnded += expired.count;
                        tierSecondTimedOut += expired.count;
                        double[] lanes = expired.lanes;
                        expired.lanes = null;
                        for (int l = 0; l < lanes.length; l++) {
                            if (lanes[l] > EPS) {
                                failed(c, l / 2, true, lanes[l], step, false, retryAfterSteps);
                            }
                        }
                    }
                }
            }
            while (!queue.isEmpty() && queue.peekFirst().abandoned) {
                abandonedAhead += queue.pollFirst().count;
            }
        }

        /** What each client sends: new demand, backlog, and what is due again. */
        void offer(long step) {
            for (Client c : clients) {
                double[] lanes = sending[c.index];
                for (int l = 0; l < c.lanes; l++) {
                    lanes[l] = c.due.take(l, step);
                }
                c.durableDue = Math.max(0, c.durableDue - lanes[lane(DURABLE, false)] - lanes[lane(DURABLE, true)]);
                double fresh = c.profile.demandPerSecond()
                        * dt
                        * (1 + settings.demandJitter() * (2 * random.nextDouble() - 1));
                c.originals += fresh;
                c.freshNow = fresh;
                lanes[lane(1, false)] += fresh;
                // Re-sends of refused durable work count against the replay rate: a consumer that is
                // told to wait does not pull more work meanwhile.
                double replay = Math.max(
                        0,
                        c.profile.backlogPerSecond() * dt - lanes[lane(DURABLE, false)] - lanes[lane(DURABLE, true)]);
                double revisits = Math.min(c.backlogRevisit, replay);
                double firsts = Math.min(c.backlogFirst, replay - revisits);
                c.backlogRevisit -= revisits;
                c.backlogFirst -= firsts;
                lanes[lane(DURABLE, true)] += revisits;
                lanes[lane(DURABLE, false)] += firsts;
                if (c.retry.kind() == RetryPolicy.Kind.BUDGET) {
                    c.budgetTokens = Math.min(c.budgetCap, c.budgetTokens + c.retry.budgetRatio() * fresh);
                }
                if (c.retry.kind() == RetryPolicy.Kind.ADAPTIVE) {
                    double p = c.throttleProbability();
                    if (p > 0) {
                        for (int l = 0; l < c.lanes; l++) {
                            double rejected = lanes[l] * p;
                            if (rejected > EPS) {
                                lanes[l] -= rejected;
                                failed(c, l / 2, l % 2 == 1, rejected, step, false, retryAfterSteps);
                            }
                        }
                    }
                }
                double total = 0;
                for (int l = 0; l < c.lanes; l++) {
                    total += lanes[l];
                }
                c.throttleRequests.current += total;
                offered[c.index] = total;
                live[c.index] = Math.max(0, total - lanes[lane(DURABLE, false)] - lanes[lane(DURABLE, true)]);
                admitted[c.index] = 0;
                secondOffered += total;
            }
        }

        /**
         * What was admitted joins the queue; the rest is refused. Clients spend what they are
         * admitted on live requests first (first attempts, then retries), and replay their backlog
         * with the rest.
         */
        void enqueue(long step, double t) {
            for (Client c : clients) {
                double let = Math.max(0, Math.min(offered[c.index], admitted[c.index]));
                double[] lanes = sending[c.index];
                double[] in = let > EPS ? new double[c.lanes] : null;
                double left = let;
                for (int l = 2; l < c.lanes + 2; l++) {
                    int lane = l % c.lanes;
                    double give = Math.min(left, lanes[lane]);
                    left -= give;
                    if (in != null) {
                        in[lane] = give;
                    }
                    double out = lanes[lane] - give;
                    if (out > EPS) {
                        shed += out;
                        failed(c, lane / 2, lane % 2 == 1, out, step, true, retryAfterSteps);
                    }
                    if (give > EPS && lane % 2 == 0) {
                        admittedFirstVisits += give;
                    }
                }
                if (in != null) {
                    Cohort cohort = new Cohort(c, in, let, t + c.profile.timeoutSeconds());
                    queue.addLast(cohort);
                    c.waiting.addLast(cohort);
                    queued += let;
                    admittedTotal += let;
                }
                secondAdmitted += let;
            }
        }

        /** The tier serves the head of its queue; returns what it served usefully and in time. */
        double serve(long step, double t, double capacity) {
            double budget = capacity * dt;
            double servedUsefully = 0;
            double ahead = Math.min(budget, abandonedAhead);
            abandonedAhead -= ahead;
            budget -= ahead;
            queued -= ahead;
            wasted += ahead;
            while (budget > EPS && !queue.isEmpty()) {
                Cohort head = queue.peekFirst();
                double served = Math.min(budget, head.count);
                double fraction = served / head.count;
                budget -= served;
                head.count -= served;
                queued -= served;
                if (head.count <= EPS) {
                    queue.pollFirst();
                }
                if (head.abandoned || head.deadline < t) {
                    wasted += served;
                    continue;
                }
                Client c = head.client;
                c.secondEnded += served;
                tierSecondEnded += served;
                boolean useful = allUp(up, dependsOn[c.index]);
                for (int l = 0; l < head.lanes.length; l++) {
                    double part = head.lanes[l] * fraction;
                    head.lanes[l] -= part;
                    if (!useful && part > EPS) {
                        failed(c, l / 2, true, part, step, false, retryAfterSteps);
                    }
                }
                if (useful) {
                    c.good += served;
                    c.throttleAccepts.current += served;
                    goodNow[c.index] += served;
                    servedUsefully += served;
                } else {
                    useless += served;
                    c.secondFailed += served;
                }
            }
            return servedUsefully;
        }

        /** Which services are up, whether all is restored, and the per-second bookkeeping. */
        void observe(long step, double t, double capacity, double servedUsefully) {
            secondGood += servedUsefully;
            secondCapacity += capacity * dt;
            int slot = (int) (step % perSecond);
            boolean allUp = true;
            for (Client c : clients) {
                double g = goodNow[c.index];
                goodNow[c.index] = 0;
                c.goodLastSecond += g - c.goodSteps[slot];
                c.goodSteps[slot] = g;
                c.freshLastSecond += c.freshNow - c.freshSteps[slot];
                c.freshSteps[slot] = c.freshNow;
                // Judged against what arrived, not the nominal demand: a service that served all of
                // a quiet second is up (the demand noise alone must not mark a healthy service down).
                boolean isUp = step + 1 >= perSecond && c.goodLastSecond >= UP_SHARE * c.freshLastSecond - EPS;
                up[c.index] = isUp;
                allUp &= isUp;
                if (isUp && Double.isNaN(c.restoredAt)) {
                    c.restoredAt = t + dt;
                }
            }
            if (allUp && Double.isNaN(restoredAt) && drained(clients)) {
                restoredAt = t + dt;
            }
            if (t >= settings.horizonSeconds() - tailSeconds) {
                tailGood += servedUsefully;
            }
            if ((step + 1) % perSecond == 0) {
                endOfSecond((step + 1) / perSecond - 1);
            }
        }

        void endOfSecond(long second) {
            if (secondAdmitted > secondCapacity * (1 + 1e-6) + EPS) {
                overloadSeconds += 1;
                overloadVolume += secondAdmitted - secondCapacity;
            }
            if (secondCapacity > EPS) {
                peakOverload = Math.max(peakOverload, secondAdmitted / secondCapacity);
            }
            capacityLine.add(secondCapacity);
            offeredLine.add(secondOffered);
            admittedLine.add(secondAdmitted);
            goodLine.add(secondGood);
            latencyLine.add(Math.min(latency, 3600));
            tierErrorRatio = tierSecondEnded > EPS ? tierSecondTimedOut / tierSecondEnded : 0;
            tierSecondEnded = 0;
            tierSecondTimedOut = 0;
            for (Client c : clients) {
                serviceErrorRatio[c.index] = c.secondEnded > EPS ? c.secondFailed / c.secondEnded : 0;
                c.secondEnded = 0;
                c.secondFailed = 0;
                c.throttleRequests.roll(second);
                c.throttleAccepts.roll(second);
            }
            secondCapacity = 0;
            secondOffered = 0;
            secondAdmitted = 0;
            secondGood = 0;
        }

        SimulationResult result() {
            double demand = profiles.stream()
                    .mapToDouble(ClientProfile::demandPerSecond)
                    .sum();
            double endCapacity = tier.capacityAt(settings.horizonSeconds());
            boolean metastable = tailGood / tailSeconds < 0.5 * Math.min(endCapacity, demand);
            double originals = 0;
            double good = 0;
            double failed = 0;
            double pending = 0;
            Map<String, Double> restoredBy = new LinkedHashMap<>();
            for (Client c : clients) {
                originals += c.originals;
                good += c.good;
                failed += c.failed;
                pending += c.pending();
                restoredBy.put(c.profile.name(), c.restoredAt);
            }
            return new SimulationResult(
                    strategy.name(),
                    restoredAt,
                    fluidBoundSeconds(tier, profiles, dt, Math.max(settings.horizonSeconds(), 1) * 100),
                    originals,
                    good,
                    failed,
                    pending,
                    wasted,
                    useless,
                    shed,
                    admittedFirstVisits > EPS ? admittedTotal / admittedFirstVisits : 1,
                    overloadSeconds,
                    overloadVolume,
                    peakOverload,
                    metastable,
                    restoredBy,
                    new Timeline(capacityLine, offeredLine, admittedLine, goodLine, latencyLine));
        }
    }

    /** How many steps ahead a client's retries and re-sends are scheduled: its ring of slots. */
    static int ringSteps(List<ClientProfile> profiles, SimulationSettings settings) {
        double longestDelay = profiles.stream()
                .mapToDouble(p -> p.retry().delayWindowSeconds(p.retry().maxAttempts()))
                .max()
                .orElse(0);
        return (int) Math.ceil((Math.max(longestDelay, settings.retryAfterSeconds()) + 2) / settings.dtSeconds()) + 2;
    }

    /** A cohort waiting in the tier's queue, without its lanes: the object and its two queue slots. */
    static final long COHORT_BYTES = 64;
    /** Per service, what does not depend on the step or the horizon: its client, windows, strategy state
     * (Sluice's health history is the largest: measured at ~10 KB per service in the reference scenario). */
    static final long SERVICE_BYTES = 16 * 1024;
    /** Per simulated second, the timeline kept for the result (five boxed numbers, as it grows). */
    static final long TIMELINE_BYTES_PER_SECOND = 200;

    /**
     * What one strategy's run holds on the heap at most, in bytes: per service, a ring of {@code
     * 16 × lanes} bytes per step of the longest retry delay, and up to one cohort of {@code 64 + 8
     * × lanes} bytes per step of the longest client timeout (a cohort older than every timeout is
     * abandoned and folded into one number); lanes = 2 × (max attempts + 1). Plus a fixed part per
     * service and the per-second timeline.
     */
    public static long estimatedBytes(List<ClientProfile> profiles, SimulationSettings settings) {
        long ringSteps = ringSteps(profiles, settings);
        long queueSteps = queuedSteps(profiles, settings);
        long bytes = (long) Math.ceil(settings.horizonSeconds()) * TIMELINE_BYTES_PER_SECOND;
        for (ClientProfile p : profiles) {
            long lanes = 2L * (p.retry().maxAttempts() + 1);
            bytes += SERVICE_BYTES + 16 * lanes * ringSteps + (COHORT_BYTES + 8 * lanes) * queueSteps;
        }
        return bytes;
    }

    /** Steps of the longest client timeout: how far back the tier's queue keeps cohorts. */
    public static long queuedSteps(List<ClientProfile> profiles, SimulationSettings settings) {
        double longestTimeout = profiles.stream()
                .mapToDouble(ClientProfile::timeoutSeconds)
                .max()
                .orElse(0);
        return Math.min(
                Math.round(settings.horizonSeconds() / settings.dtSeconds()),
                (long) Math.ceil(longestTimeout / settings.dtSeconds()) + 2);
    }

    /**
     * The fluid bound T* for these clients: every backlog replayed at most at its clients' replay
     * rate, down to what "restored" leaves pending ({@link #DRAINED_SECONDS} of its demand).
     */
    public static double fluidBoundSeconds(
            TierProfile tier, List<ClientProfile> profiles, double dtSeconds, double horizonSeconds) {
        double[] owed = profiles.stream()
                .mapToDouble(p -> Math.max(0, p.backlog() - DRAINED_SECONDS * p.demandPerSecond()))
                .toArray();
        double[] replay =
                profiles.stream().mapToDouble(ClientProfile::backlogPerSecond).toArray();
        double demand =
                profiles.stream().mapToDouble(ClientProfile::demandPerSecond).sum();
        return tier.fluidBoundSeconds(owed, replay, demand, dtSeconds, horizonSeconds);
    }

    private static boolean allUp(boolean[] up, int[] dependencies) {
        for (int d : dependencies) {
            if (!up[d]) {
                return false;
            }
        }
        return true;
    }

    private static boolean drained(Client[] clients) {
        for (Client c : clients) {
            if (c.pending() > DRAINED_SECONDS * c.profile.demandPerSecond() + EPS) {
                return false;
            }
        }
        return true;
    }

    /**
     * An attempt did not succeed. Durable work goes back to the backlog (after the Retry-After,
     * if refused and the client honours it). Interactive work refused and honoured is the same
     * attempt again after the Retry-After, less the callers whose patience ran out; otherwise it is
     * tried again by the client's policy until it is out of attempts or out of retry budget.
     *
     * @param revisit whether the work has been at the tier (its next admission is a re-visit)
     * @param refused refused by admission (429), rather than failed at the tier or by the client's throttle
     */
    private static void failed(
            Client c, int attempt, boolean revisit, double count, long step, boolean refused, long retryAfterSteps) {
        boolean waitsRetryAfter = refused && c.profile.honoursRetryAfter();
        if (attempt == DURABLE) {
            if (waitsRetryAfter) {
                c.due.spread(lane(DURABLE, revisit), step + 1, step + retryAfterSteps, count);
                c.durableDue += count;
            } else if (revisit) {
                c.backlogRevisit += count;
            } else {
                c.backlogFirst += count;
            }
            return;
        }
        if (waitsRetryAfter) {
            // Not a failed attempt: the same attempt goes again after the Retry-After, without
            // using up an attempt or retry budget; some callers run out of patience meanwhile.
            double gaveUp = count * c.refusalGiveUp;
            c.failed += gaveUp;
            c.due.spread(lane(attempt, revisit), step + 1, step + retryAfterSteps, count - gaveUp);
            return;
        }
        if (attempt >= c.retry.maxAttempts()) {
            c.failed += count;
            return;
        }
        double retried = count;
        if (c.retry.kind() == RetryPolicy.Kind.BUDGET) {
            retried = Math.min(count, c.budgetTokens);
            c.budgetTokens -= retried;
            c.failed += count - retried;
            if (retried <= EPS) {
                return;
            }
        }
        int next = lane(attempt + 1, revisit);
        if (c.retry.kind() == RetryPolicy.Kind.BACKOFF) {
            long window = Math.max(1, Math.round(c.retry.delayWindowSeconds(attempt + 1) * c.stepsPerSecond));
            if (c.retry.jitter()) {
                c.due.spread(next, step + 1, step + window, retried);
            } else {
                c.due.add(next, step + window, retried);
            }
        } else {
            c.due.add(next, step + 1, retried);
        }
    }
}
