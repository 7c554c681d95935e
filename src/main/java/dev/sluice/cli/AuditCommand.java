package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice audit ...}: {@code /api/v1/audit}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Search, export and verify the audit log.",
        subcommands = {AuditCommand.Search.class, AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand {
    static final String AUDIT = "/api/v1/audit";

    private AuditCommand() {}

    /** The filters {@code search} and {@code export} share; the server applies them. */
    static final class Filters {
        @Option(names = "--plan", paramLabel = "NAME")
        String plan;

        @Option(names = "--run", paramLabel = "RUN")
        String run;

        @Option(names = "--actor", paramLabel = "NAME", description = "a token's name, or controller")
        String actor;

        @Option(names = "--action", paramLabel = "ACTION", description = "such as run-paused, stage-advanced")
        String action;

        @Option(names = "--since", paramLabel = "INSTANT", description = "ISO-8601, such as 2026-12-01T10:00:00Z")
        String since;

        @Option(names = "--until", paramLabel = "INSTANT")
        String until;

        @Option(names = "--text", paramLabel = "WORDS", description = "text in the reason")
        String text;

        @Option(names = "--order", paramLabel = "ORDER", description = "newest (search's default) or oldest")
        String order;

        Map<String, Object> parameters() {
            return SluiceApi.parameters(
                    "plan", plan, "run", run, "actor", actor, "action", action, "since", since, "until", until, "q",
                    text, "order", order);
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "Audit events, filtered, a page at a time.")
    static final class Search implements Callable<Integer> {
        @ArgGroup(exclusive = false, heading = "Filters:%n")
        Filters filters = new Filters();

        @Option(names = "--limit", paramLabel = "N", description = "events per page (1 to 100, default 20)")
        Integer limit;

        @Option(names = "--after", paramLabel = "CURSOR", description = "the next page: the cursor a search printed")
        Long after;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Search(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> parameters = filters.parameters();
            parameters.put("limit", limit);
            parameters.put("after", after);
            SluiceApi.Answer answer = ctx.api().get(AUDIT + SluiceApi.query(parameters));
            output.print(ctx, answer, page -> {
                Table t = new Table("ID", "TIME", "ACTOR", "ACTION", "PLAN", "SUBJECT", "FROM", "TO", "REASON");
                page.path("items")
                        .forEach(e -> t.row(
                                e.path("id").asLong(),
                                RunText.time(e.path("at").asText()),
                                e.path("actor").asText(),
                                e.path("action").asText(),
                                SluiceApi.text(e, "planName"),
                                SluiceApi.text(e, "subject"),
                                SluiceApi.text(e, "from"),
                                SluiceApi.text(e, "to"),
                                SluiceApi.text(e, "reason")));
                String more = page.hasNonNull("next")
                        ? "more: the same search with --after "
                                + page.get("next").asText() + "\n"
                        : "";
                return (t.isEmpty() ? "no events\n" : t.render()) + more;
            });
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Walk the audit log's hash chain; exit 1 when a link is broken.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--from-id", paramLabel = "ID")
        Long fromId;

        @Option(names = "--to-id", paramLabel = "ID")
        Long toId;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Verify(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            SluiceApi.Answer answer = ctx.api()
                    .get(AUDIT + "/verify" + SluiceApi.query(SluiceApi.parameters("fromId", fromId, "toId", toId)));
            output.print(
                    ctx,
                    answer,
                    v -> v.path("intact").asBoolean()
                            ? "audit chain intact: " + v.path("checked").asLong() + " events checked, last id "
                                    + v.path("lastId").asText() + ", head hash "
                                    + v.path("headHash").asText() + "\n"
                            : "audit chain BROKEN at event "
                                    + v.path("firstBrokenId").asText() + ": "
                                    + v.path("problem").asText() + " ("
                                    + v.path("checked").asLong() + " events checked)\n");
            return answer.json().path("intact").asBoolean() ? ExitCodes.OK : ExitCodes.NO;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Stream matching events to standard output as NDJSON (default) or CSV, oldest first.")
    static final class Export implements Callable<Integer> {
        @ArgGroup(exclusive = false, heading = "Filters:%n")
        Filters filters = new Filters();

        @Option(names = "--format", paramLabel = "FORMAT", description = "ndjson (default) or csv")
        String format;

        private final Context ctx;

        Export(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            Map<String, Object> parameters = filters.parameters();
            parameters.put("format", format);
            try (InputStream in = ctx.api().stream(AUDIT + "/export" + SluiceApi.query(parameters))) {
                in.transferTo(ctx.out());
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }
}
