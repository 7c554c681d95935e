package dev.sluice.e2e;

import java.util.List;

/**
 * The measures of one strategy in one case.
 *
 * <ul>
 *   <li><b>up</b>: start of the first {@value #WINDOW_SECONDS} s window in which every service's
 *       useful answers averaged at least 95% of its demand and at least 95% of its interactive
 *       requests that finished (succeeded or failed for good) succeeded;</li>
 *   <li><b>restored</b>: the same, with the clients' backlogs drained at the window's start (at
 *       most one second of the total demand still owed);</li>
 *   <li><b>failed</b>: interactive requests given up (attempts used up, or older than the give-up
 *       age); backlog work is never given up;</li>
 *   <li><b>retry amplification</b>: attempts that reached the tier ÷ distinct requests that reached
 *       it (a refusal never reaches the tier, so a request refused first is still a first visit
 *       when it gets through);</li>
 *   <li><b>above-capacity seconds</b>: seconds in which more requests reached the tier than its
 *       real capacity C(t);</li>
 *   <li><b>ending</b>: {@code metastable} when, over the last {@value #ENDING_SECONDS} s, the useful
 *       answers are below half of min(C, D) and the tier thrashed in every one of those seconds
 *       (stuck overloaded although the outage is over); otherwise {@code restored} when it was, or
 *       {@code degraded} (short of restored but not stuck in overload: held back, or still
 *       recovering).</li>
 * </ul>
 */
record Outcome(
        String caseId,
        String strategy,
        double tStarSeconds,
        Integer upSeconds,
        Integer restoredSeconds,
        long failed,
        long interactive,
        double retryAmplification,
        long tierAttempts,
        long wasted,
        int peakQueue,
        int aboveCapacitySeconds,
        double endingUsefulPerSecond,
        String ending,
        String sluiceNote) {

    static final int WINDOW_SECONDS = 5;
    static final int ENDING_SECONDS = 15;

    static Outcome of(BenchCase c, StrategyRun.Result r, String sluiceNote) {
        List<Second> s = r.seconds();
        double demand = c.demandPerSecond();
        Integer up = firstWindow(c, s, false);
        Integer restored = firstWindow(c, s, true);
        long failed = r.totals().values().stream().mapToLong(t -> t.interactiveFailed).sum();
        long interactive = r.totals().values().stream().mapToLong(t -> t.arrivals).sum();
        long attempts = r.totals().values().stream().mapToLong(t -> t.tierAttempts).sum();
        long first = r.totals().values().stream().mapToLong(t -> t.firstVisits).sum();
        long wasted = s.stream().mapToLong(Second::wasted).sum();
        int peak = s.stream().mapToInt(Second::peakQueueDepth).max().orElse(0);
        int above = (int) s.stream().filter(x -> x.arrivals() > x.capacityPerSecond()).count();
        int from = Math.max(0, s.size() - ENDING_SECONDS);
        double endUseful = s.subList(from, s.size()).stream().mapToLong(Second::useful).sum()
                / (double) Math.max(1, s.size() - from);
        double endCapacity = s.isEmpty() ? 0 : s.get(s.size() - 1).capacityPerSecond();
        boolean stuckOverloaded = s.size() >= ENDING_SECONDS && s.subList(from, s.size()).stream().allMatch(Second::overloaded);
        String ending = endUseful < 0.5 * Math.min(endCapacity, demand) && stuckOverloaded
                ? "metastable"
                : restored != null ? "restored" : "degraded";
        double tStar = FluidBound.seconds(c.capacity(), demand, c.totalBacklog() + c.staleRequests(), 3600);
        return new Outcome(c.id(), r.strategy().label(), tStar, up, restored, failed, interactive,
                first == 0 ? Double.NaN : attempts / (double) first, attempts, wasted, peak, above, endUseful, ending,
                sluiceNote);
    }

    /** Seconds are 1-based (second t covers (t−1, t]); a window starting at second t starts at t−1 s. */
    private static Integer firstWindow(BenchCase c, List<Second> s, boolean backlogDrained) {
        double demand = c.demandPerSecond();
        for (int i = 0; i + WINDOW_SECONDS <= s.size(); i++) {
            if (backlogDrained && (i == 0 ? c.totalBacklog() : s.get(i - 1).totalBacklogPending()) > demand) {
                continue;
            }
            boolean all = true;
            for (ServiceSpec spec : c.services()) {
                long useful = 0;
                long ok = 0;
                long failedForGood = 0;
                for (int k = i; k < i + WINDOW_SECONDS; k++) {
                    ServiceClient.Counters x = s.get(k).services().get(spec.name());
                    useful += x.useful;
                    ok += x.interactiveOk;
                    failedForGood += x.interactiveFailed;
                }
                boolean demandMet = useful >= 0.95 * spec.demandPerSecond() * WINDOW_SECONDS;
                boolean successful = ok + failedForGood > 0 && ok >= 0.95 * (ok + failedForGood);
                if (!demandMet || !successful) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return i;
            }
        }
        return null;
    }

    double restoredOverTStar() {
        return restoredSeconds == null || tStarSeconds <= 0 ? Double.NaN : restoredSeconds / tStarSeconds;
    }

    static final String CSV_HEADER = "case,strategy,t_star_s,up_s,restored_s,restored_over_t_star,failed,interactive,"
            + "retry_amplification,tier_attempts,wasted,peak_queue,above_capacity_s,ending_useful_per_s,ending,sluice";

    String csv() {
        return String.join(",", caseId, strategy, fmt(tStarSeconds), up(upSeconds), up(restoredSeconds),
                fmt(restoredOverTStar()), Long.toString(failed), Long.toString(interactive), fmt(retryAmplification),
                Long.toString(tierAttempts), Long.toString(wasted), Integer.toString(peakQueue),
                Integer.toString(aboveCapacitySeconds), fmt(endingUsefulPerSecond), ending,
                sluiceNote == null ? "" : "\"" + sluiceNote.replace("\"", "'") + "\"");
    }

    String json() {
        return "{\"case\":" + Json.quote(caseId) + ",\"strategy\":" + Json.quote(strategy) + ",\"tStarSeconds\":"
                + num(tStarSeconds) + ",\"upSeconds\":" + upSeconds + ",\"restoredSeconds\":" + restoredSeconds
                + ",\"restoredOverTStar\":" + num(restoredOverTStar()) + ",\"failed\":" + failed
                + ",\"interactive\":" + interactive + ",\"retryAmplification\":" + num(retryAmplification)
                + ",\"tierAttempts\":" + tierAttempts + ",\"wasted\":" + wasted + ",\"peakQueue\":" + peakQueue
                + ",\"aboveCapacitySeconds\":" + aboveCapacitySeconds + ",\"endingUsefulPerSecond\":"
                + num(endingUsefulPerSecond) + ",\"ending\":" + Json.quote(ending) + ",\"sluice\":"
                + (sluiceNote == null ? "null" : Json.quote(sluiceNote)) + "}";
    }

    String markdownRow() {
        return "| " + caseId + " | " + strategy + " | " + fmt1(tStarSeconds) + " | " + upCell(upSeconds) + " | "
                + upCell(restoredSeconds) + " | " + (restoredSeconds == null ? "–" : String.format("%.2f", restoredOverTStar()))
                + " | " + failed + " / " + interactive + " | " + String.format("%.2f", retryAmplification) + " | " + wasted
                + " | " + peakQueue + " | " + aboveCapacitySeconds + " | "
                + (ending.equals("metastable") ? "**metastable**" : ending) + " |";
    }

    static final String MARKDOWN_HEADER =
            "| case | strategy | T* (s) | up (s) | restored (s) | ÷ T* | failed / interactive | retry ampl. | wasted | peak queue | s above C | ending |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    private static String upCell(Integer v) {
        return v == null ? "never" : Integer.toString(v);
    }

    private static String up(Integer v) {
        return v == null ? "" : Integer.toString(v);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.3f", v) : "";
    }

    private static String fmt1(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.1f", v) : "∞";
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4f", v) : "null";
    }
}
