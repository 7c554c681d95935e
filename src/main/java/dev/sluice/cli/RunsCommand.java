package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice runs ...}: {@code /api/v1/runs}. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Start runs of plans, follow them, and act on them.",
        subcommands = {
            RunsCommand.Start.class,
            RunsCommand.ListRuns.class,
            RunsCommand.Status.class,
            RunsCommand.Watch.class,
            RunsCommand.Pause.class,
            RunsCommand.Resume.class,
            RunsCommand.Promote.class,
            RunsCommand.StepBack.class,
            RunsCommand.Abort.class,
            RunsCommand.OverrideRate.class,
            RunsCommand.Timeline.class
        })
final class RunsCommand {
    static final String RUNS = "/api/v1/runs";
    static final int TIMELINE_PAGE = 100;

    private RunsCommand() {}

    static String run(String id) {
        return RUNS + "/" + SluiceApi.encode(id);
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a run of a stored plan.")
    static final class Start implements Callable<Integer> {
        @Parameters(paramLabel = "PLAN")
        String plan;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the record")
        String reason;

        @Option(
                names = "--idempotency-key",
                paramLabel = "KEY",
                description = "a retry with the same key answers the run it started instead of starting another")
        String idempotencyKey;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Start(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
            SluiceApi.Answer answer = ctx.api()
                    .send(
                            "POST",
                            RUNS,
                            "application/json",
                            Json.write(Map.of("plan", plan, "reason", reason)),
                            headers);
            output.print(
                    ctx,
                    answer,
                    run -> (answer.status() == 201 ? "started" : "already started (same key)") + " run "
                            + run.path("id").asText() + "\n\n" + RunText.status(run));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Option(names = "--plan", paramLabel = "NAME", description = "only runs of this plan")
        String plan;

        @Option(names = "--limit", paramLabel = "N", description = "at most N runs (1 to 100, default 20)")
        Integer limit;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        ListRuns(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            output.print(
                    ctx,
                    ctx.api().get(RUNS + SluiceApi.query(SluiceApi.parameters("plan", plan, "limit", limit))),
                    runs -> {
                        Table t = new Table("RUN", "PLAN", "STATUS", "STAGE", "STARTED");
                        runs.forEach(r -> t.row(
                                r.path("id").asText(),
                                r.path("plan").asText(),
                                r.path("status").asText(),
                                r.path("stage").asText(),
                                RunText.time(r.path("createdAt").asText())));
                        return t.isEmpty() ? "no runs\n" : t.render();
                    });
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "A run's stage, budget, services, gate readings and latest transitions.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "the run's id (see runs list)")
        String id;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Status(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            output.print(ctx, ctx.api().get(run(id)), RunText::status);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = {
                "Follow a run until it ends: redrawn in place on a terminal; otherwise a new frame whenever it changed.",
                "Exits 0 when the run completed, 1 when it was aborted."
            })
    static final class Watch implements Callable<Integer> {
        static final String CLEAR_AND_HOME = "\033[H\033[2J";

        @Parameters(paramLabel = "RUN", description = "the run's id (see runs list)")
        String id;

        @Option(
                names = "--interval",
                paramLabel = "DURATION",
                converter = Durations.class,
                description = "between polls: 250ms, 1s, 5s (default 1s)")
        Duration interval = Duration.ofSeconds(1);

        private final Context ctx;

        Watch(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (interval.isZero() || interval.isNegative()) {
                throw new CliFailure(ExitCodes.USAGE, "--interval must be above zero");
            }
            SluiceApi api = ctx.api();
            String previous = null;
            while (true) {
                JsonNode run = api.get(run(id)).json();
                String status = run.path("status").asText();
                boolean ended = status.equals("completed") || status.equals("aborted");
                String frame = RunText.status(run);
                if (ctx.terminal()) {
                    ctx.out().print(CLEAR_AND_HOME + frame);
                } else if (!frame.equals(previous)) {
                    ctx.out().print((previous == null ? "" : "\n") + frame);
                }
                ctx.out().flush();
                previous = frame;
                if (ended) {
                    ctx.out().println("\nrun " + id + " " + status);
                    return status.equals("completed") ? ExitCodes.OK : ExitCodes.NO;
                }
                Thread.sleep(interval.toMillis());
            }
        }
    }

    /** Pause, resume, promote, step back, abort: {@code POST /runs/{id}/ACTION} with a reason. */
    abstract static class Action implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "the run's id (see runs list)")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the record")
        String reason;

        @Mixin
        OutputFormat output;

        private final Context ctx;
        private final String action;

        Action(Context ctx, String action) {
            this.ctx = ctx;
            this.action = action;
        }

        @Override
        public Integer call() {
            SluiceApi.Answer answer = ctx.api().postJson(run(id) + "/" + action, Map.of("reason", reason));
            output.print(ctx, answer, run -> RunText.status(run));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause a run: admission stays at its current rates until resumed.")
    static final class Pause extends Action {
        Pause(Context ctx) {
            super(ctx, "pause");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused run.")
    static final class Resume extends Action {
        Resume(Context ctx) {
            super(ctx, "resume");
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Skip the rest of the current stage's hold and approve the next stage.")
    static final class Promote extends Action {
        Promote(Context ctx) {
            super(ctx, "promote");
        }
    }

    @Command(name = "step-back", mixinStandardHelpOptions = true, description = "Go back one stage.")
    static final class StepBack extends Action {
        StepBack(Context ctx) {
            super(ctx, "step-back");
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description = "Abort a run: admission freezes at the plan's floor; restored services keep their rates.")
    static final class Abort extends Action {
        Abort(Context ctx) {
            super(ctx, "abort");
        }
    }

    @Command(
            name = "override",
            mixinStandardHelpOptions = true,
            description = {
                "Pin a service's rate for a while (counted within the stage's budget), or remove the pin.",
                "  sluice runs override RUN SERVICE --rate 50 --for 10m --reason TEXT",
                "  sluice runs override RUN SERVICE --clear --reason TEXT"
            })
    static final class OverrideRate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", description = "the run's id (see runs list)")
        String id;

        @Parameters(index = "1", paramLabel = "SERVICE", description = "a service of the run's plan")
        String service;

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        static final class What {
            @ArgGroup(exclusive = false)
            Pin pin;

            @Option(names = "--clear", required = true, description = "remove the service's pinned rate")
            boolean clear;
        }

        static final class Pin {
            @Option(
                    names = "--rate",
                    required = true,
                    paramLabel = "PER_SECOND",
                    description = "the pinned rate, per second")
            double ratePerSecond;

            @Option(
                    names = "--for",
                    required = true,
                    paramLabel = "DURATION",
                    converter = Durations.class,
                    description = "how long: 90s, 10m, 2h (at most 24h)")
            Duration duration;
        }

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the record")
        String reason;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        OverrideRate(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            String path = run(id) + "/overrides/" + SluiceApi.encode(service);
            SluiceApi.Answer answer;
            if (what.clear) {
                answer = ctx.api()
                        .send("DELETE", path, "application/json", Json.write(Map.of("reason", reason)), Map.of());
            } else {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ratePerSecond", what.pin.ratePerSecond);
                body.put("durationSeconds", what.pin.duration.toSeconds());
                body.put("reason", reason);
                answer = ctx.api().send("PUT", path, "application/json", Json.write(body), Map.of());
            }
            output.print(ctx, answer, RunText::status);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "timeline",
            mixinStandardHelpOptions = true,
            description = "Every transition of a run, oldest first, with actor and reason.")
    static final class Timeline implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "the run's id (see runs list)")
        String id;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Timeline(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            SluiceApi api = ctx.api();
            ArrayNode events = JsonNodeFactory.instance.arrayNode();
            long after = 0;
            while (true) {
                JsonNode page = api.get(run(id) + "/timeline"
                                + SluiceApi.query(SluiceApi.parameters("after", after, "limit", TIMELINE_PAGE)))
                        .json();
                events.addAll((ArrayNode) page);
                if (page.size() < TIMELINE_PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).path("id").asLong();
            }
            output.print(ctx, events, all -> RunText.timeline(all));
            return ExitCodes.OK;
        }
    }
}
