package dev.sluice.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end restoration benchmark's entry point: for each case, reopen / static / Sluice one
 * after the other against a fresh tier, then the table.
 *
 * <pre>
 * java -jar target/sluice-bench-e2e.jar --jar ../../target/quarkus-app/quarkus-run.jar
 *     [--cases a,b,c,d] [--strategies reopen,static,sluice[,sluice-wants,sluice-leases]] [--out DIR] [--horizon-scale 1.0] [--permit-clients 1]
 * </pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("../../target/quarkus-app/quarkus-run.jar");
        List<String> caseIds = List.of("a", "b", "c", "d");
        List<String> strategies = List.of("reopen", "static", "sluice");
        Path out = Path.of("target/results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        double horizonScale = 1.0;
        int permitClients = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--cases" -> caseIds = List.of(args[++i].split(","));
                case "--strategies" -> strategies = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--horizon-scale" -> horizonScale = Double.parseDouble(args[++i]);
                case "--permit-clients" -> permitClients = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; use --jar, --cases, --strategies, --out, --horizon-scale, --permit-clients");
                    System.exit(2);
                }
            }
        }
        if (strategies.stream().anyMatch(x -> x.startsWith("sluice")) && !Files.exists(jar)) {
            System.err.println("Sluice's jar is not at " + jar + "; build it with ./mvnw -B -q package -DskipTests");
            System.exit(2);
        }
        Files.createDirectories(out);
        List<Outcome> outcomes = new ArrayList<>();
        Instant started = Instant.now();
        for (BenchCase base : Cases.all()) {
            if (!caseIds.contains(base.id())) {
                continue;
            }
            BenchCase c = scaled(base, horizonScale);
            double tStar = FluidBound.seconds(c.capacity(), c.demandPerSecond(), c.totalBacklog() + c.staleRequests(), 3600);
            System.out.printf(Locale.ROOT, "case %s: %s — demand %.0f/s, backlog %d, stale %d, T* %.1f s, horizon %.0f s%n",
                    c.id(), c.title(), c.demandPerSecond(), c.totalBacklog(), c.staleRequests(), tStar, c.horizonSeconds());
            for (String name : strategies) {
                StrategyRun.Strategy strategy = StrategyRun.Strategy.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
                Path work = out.resolve(c.id() + "-" + name);
                StrategyRun.Result r = StrategyRun.run(c, strategy, jar.toAbsolutePath(), work, permitClients);
                String note = r.sluice() == null ? null : summarize(r.sluice());
                Outcome o = Outcome.of(c, r, note);
                outcomes.add(o);
                writeSeconds(work.resolve("seconds.csv"), c, r);
                if (r.sluice() != null) {
                    writeTimeline(work.resolve("sluice-timeline.tsv"), r.sluice());
                }
                System.out.println(Outcome.MARKDOWN_HEADER.lines().findFirst().get());
                System.out.println(o.markdownRow());
                if (note != null) {
                    System.out.println("  sluice: " + note);
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("results.csv")))) {
            w.println(Outcome.CSV_HEADER);
            outcomes.forEach(o -> w.println(o.csv()));
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("results.json")))) {
            w.println("[");
            for (int i = 0; i < outcomes.size(); i++) {
                w.println("  " + outcomes.get(i).json() + (i + 1 < outcomes.size() ? "," : ""));
            }
            w.println("]");
        }
        StringBuilder table = new StringBuilder(Outcome.MARKDOWN_HEADER).append('\n');
        outcomes.forEach(o -> table.append(o.markdownRow()).append('\n'));
        StringBuilder notes = new StringBuilder();
        outcomes.stream().filter(o -> o.sluiceNote() != null)
                .forEach(o -> notes.append("- case ").append(o.caseId()).append(": ").append(o.sluiceNote()).append('\n'));
        Files.writeString(out.resolve("results.md"), table + "\nSluice, per case:\n\n" + notes);
        System.out.println();
        System.out.println(table);
        System.out.println("Sluice, per case:");
        System.out.print(notes);
        System.out.printf(Locale.ROOT, "%nwritten to %s (took %.0f s)%n", out,
                (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
    }

    private static BenchCase scaled(BenchCase c, double scale) {
        return new BenchCase(c.id(), c.title(), c.planCapacityPerSecond(), c.capacity(), c.staleRequests(),
                c.outageSeconds(), Math.max(10, c.horizonSeconds() * scale), c.services(), c.clients(), c.thrashing(),
                c.seed());
    }

    /** Sluice's own account: stage moves, pauses, completion, from the run's timeline. */
    static String summarize(StrategyRun.SluiceStory s) {
        int advances = 0;
        int stepBacks = 0;
        int pauses = 0;
        int restored = 0;
        String completedAt = null;
        String furthest = null;
        Instant first = null;
        String last = null;
        List<String> stageMoves = new ArrayList<>();
        for (Map<String, Object> e : s.timeline()) {
            Instant at = Instant.parse(Json.string(e, "at"));
            if (first == null) {
                first = at;
            }
            long t = at.getEpochSecond() - first.getEpochSecond();
            String action = Json.string(e, "action");
            switch (action == null ? "" : action) {
                case "stage-advanced", "stage-promoted" -> {
                    advances++;
                    last = Json.string(e, "to");
                    stageMoves.add("+" + last + "@" + t);
                    furthest = last;
                }
                case "stage-stepped-back" -> {
                    stepBacks++;
                    last = Json.string(e, "to");
                    stageMoves.add("-" + last + "@" + t);
                }
                case "run-paused" -> {
                    pauses++;
                    stageMoves.add("paused@" + t);
                }
                case "run-completed" -> completedAt = t + " s";
                case "service-restored" -> restored++;
                default -> {}
            }
        }
        return String.format(Locale.ROOT,
                "%d advances, %d step-backs, %d pauses, %d services restored, completed %s; stages: %s "
                        + "(admission calls %d, refused %d, errors %d; health reports %d, failed %d)",
                advances, stepBacks, pauses, restored, completedAt == null ? "no" : "at " + completedAt,
                String.join(" ", stageMoves), s.permitAsks(), s.permitRefusals(), s.permitErrors(), s.healthReports(),
                s.healthReportFailures());
    }

    private static void writeSeconds(Path file, BenchCase c, StrategyRun.Result r) throws IOException {
        Files.createDirectories(file.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            StringBuilder h = new StringBuilder(
                    "t,capacity,effective_capacity,queue,peak_queue,arrivals,ok,deadline_exceeded,served,wasted,useful,backlog,stage,status,allocated");
            for (ServiceSpec s : c.services()) {
                h.append(',').append(s.name()).append("_useful,").append(s.name()).append("_failed,")
                        .append(s.name()).append("_attempts,").append(s.name()).append("_refused,")
                        .append(s.name()).append("_useless,").append(s.name()).append("_backlog,")
                        .append(s.name()).append("_allocated,").append(s.name()).append("_wanted");
            }
            w.println(h);
            for (Second x : r.seconds()) {
                StringBuilder b = new StringBuilder();
                b.append(x.tSeconds()).append(',').append(String.format(Locale.ROOT, "%.1f,%.1f", x.capacityPerSecond(),
                        x.effectiveCapacityPerSecond()));
                b.append(',').append(x.queueDepth()).append(',').append(x.peakQueueDepth()).append(',')
                        .append(x.arrivals()).append(',').append(x.ok()).append(',').append(x.deadlineExceeded())
                        .append(',').append(x.served()).append(',').append(x.wasted()).append(',').append(x.useful())
                        .append(',').append(x.totalBacklogPending()).append(',')
                        .append(x.sluiceStage() == null ? "" : x.sluiceStage()).append(',')
                        .append(x.sluiceStatus() == null ? "" : x.sluiceStatus()).append(',')
                        .append(x.sluiceAllocatedPerSecond() == null ? "" : String.format(Locale.ROOT, "%.1f",
                                x.sluiceAllocatedPerSecond()));
                for (ServiceSpec s : c.services()) {
                    ServiceClient.Counters k = x.services().get(s.name());
                    b.append(',').append(k.useful).append(',').append(k.interactiveFailed).append(',')
                            .append(k.tierAttempts).append(',').append(k.refused).append(',').append(k.useless)
                            .append(',').append(x.backlogPending().get(s.name()));
                    Second.SluiceService seen = x.sluiceServices().get(s.name());
                    b.append(',').append(seen == null ? "" : String.format(Locale.ROOT, "%.1f", seen.allocationPerSecond()))
                            .append(',').append(seen == null ? "" : String.format(Locale.ROOT, "%.1f", seen.wantedPerSecond()));
                }
                w.println(b);
            }
        }
    }

    private static void writeTimeline(Path file, StrategyRun.SluiceStory s) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("at\taction\tsubject\tfrom\tto\treason");
            for (Map<String, Object> e : s.timeline()) {
                w.println(String.join("\t", str(e, "at"), str(e, "action"), str(e, "subject"), str(e, "from"),
                        str(e, "to"), str(e, "reason").replace('\t', ' ').replace('\n', ' ')));
            }
        }
    }

    private static String str(Map<String, Object> e, String k) {
        Object v = e.get(k);
        return v == null ? "" : v.toString();
    }
}
