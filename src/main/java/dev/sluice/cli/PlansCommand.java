package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice plans ...}: {@code /api/v1/plans}. */
@Command(
        name = "plans",
        mixinStandardHelpOptions = true,
        description = "Store, read, validate and compare restore plans.",
        subcommands = {
            PlansCommand.Apply.class,
            PlansCommand.Get.class,
            PlansCommand.ListPlans.class,
            PlansCommand.Validate.class,
            PlansCommand.Order.class,
            PlansCommand.Versions.class,
            PlansCommand.Diff.class
        })
final class PlansCommand {
    static final String PLANS = "/api/v1/plans";
    static final int PAGE = 100;

    private PlansCommand() {}

    /** A plan document from a file or standard input ({@code -}), and the media type it is in. */
    record Document(byte[] bytes, String contentType, String from) {
        static Document read(Context ctx, String file) {
            byte[] bytes;
            try {
                bytes = file.equals("-") ? ctx.in().readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                throw new CliFailure(ExitCodes.USAGE, "no such file: " + file);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
            String head = new String(bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.UTF_8)
                    .stripLeading();
            boolean json = file.toLowerCase(Locale.ROOT).endsWith(".json") || head.startsWith("{");
            return new Document(
                    bytes, json ? "application/json" : "application/yaml", file.equals("-") ? "standard input" : file);
        }

        /** The plan's name as the document states it; null when it does not (the server will say). */
        String name() {
            JsonNode doc = Json.readDocument(bytes);
            return doc != null && doc.path("name").isTextual() ? doc.get("name").asText() : null;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Create the plan in FILE (YAML or JSON; - for standard input), or store it as the plan's"
                    + " next version when a plan of that name exists.")
    static final class Apply implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|-")
        String file;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Apply(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Document doc = Document.read(ctx, file);
            SluiceApi api = ctx.api();
            String name = doc.name();
            String etag = null;
            if (name != null) {
                try {
                    etag = api.get(PLANS + "/" + SluiceApi.encode(name))
                            .header("ETag")
                            .orElse(null);
                } catch (CliFailure e) {
                    if (e.exitCode() != ExitCodes.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            SluiceApi.Answer answer = etag == null
                    ? api.send("POST", PLANS, doc.contentType(), doc.bytes(), Map.of())
                    : api.send(
                            "PUT",
                            PLANS + "/" + SluiceApi.encode(name),
                            doc.contentType(),
                            doc.bytes(),
                            Map.of("If-Match", etag));
            boolean created = answer.status() == 201;
            output.print(
                    ctx,
                    answer,
                    plan -> String.format(
                            Locale.ROOT,
                            "plan %s %s: version %d%n",
                            plan.path("name").asText(),
                            created ? "created" : "updated",
                            plan.path("version").asInt()));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Print a stored plan as YAML, ready to edit and apply again (-o json|yaml: the server's"
                    + " answer, with version and times).")
    static final class Get implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N", description = "that stored version (default: the latest)")
        Integer version;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Get(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            String path = PLANS + "/" + SluiceApi.encode(name) + (version == null ? "" : "/versions/" + version);
            output.print(ctx, ctx.api().get(path), plan -> Json.yaml(plan.path("spec")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the stored plans by name.")
    static final class ListPlans implements Callable<Integer> {
        @Mixin
        OutputFormat output;

        private final Context ctx;

        ListPlans(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            SluiceApi api = ctx.api();
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            String after = null;
            do {
                JsonNode page = api.get(PLANS + SluiceApi.query(SluiceApi.parameters("limit", PAGE, "after", after)))
                        .json();
                items.addAll((ArrayNode) page.path("items"));
                after = SluiceApi.text(page, "next");
            } while (after != null);
            ObjectNode all = JsonNodeFactory.instance.objectNode();
            all.set("items", items);
            all.putNull("next");
            output.print(ctx, all, doc -> {
                Table t = new Table("NAME", "VERSION", "TIER", "SERVICES", "STAGES", "UPDATED");
                doc.path("items")
                        .forEach(p -> t.row(
                                p.path("name").asText(),
                                p.path("version").asInt(),
                                p.path("tier").asText(),
                                p.path("services").asInt(),
                                p.path("stages").asInt(),
                                RunText.time(p.path("updatedAt").asText())));
                return t.isEmpty() ? "no plans\n" : t.render();
            });
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = "Validate the plan in FILE (- for standard input) without storing it: every violation with"
                    + " its JSON pointer (exit 1), or the restoration order.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|-")
        String file;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Validate(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Document doc = Document.read(ctx, file);
            SluiceApi.Answer answer;
            try {
                answer = ctx.api().send("POST", PLANS + "/validate", doc.contentType(), doc.bytes(), Map.of());
            } catch (CliFailure e) {
                if (e.exitCode() == ExitCodes.REFUSED) {
                    // A document that cannot even be read (malformed, too large) is not a valid plan.
                    ctx.err().println(doc.from() + " is not a valid plan: " + e.getMessage());
                    return ExitCodes.NO;
                }
                throw e;
            }
            output.print(ctx, answer, report -> {
                if (!report.path("valid").asBoolean()) {
                    StringBuilder out = new StringBuilder(doc.from() + " is not a valid plan:\n");
                    report.path("violations")
                            .forEach(v -> out.append("  ")
                                    .append(v.path("pointer").asText())
                                    .append(": ")
                                    .append(v.path("message").asText())
                                    .append(" (")
                                    .append(v.path("rule").asText())
                                    .append(")\n"));
                    return out.toString();
                }
                return doc.from() + " is a valid plan. Restoration order:\n"
                        + waves(report.path("order").path("waves"));
            });
            return answer.json().path("valid").asBoolean() ? ExitCodes.OK : ExitCodes.NO;
        }
    }

    @Command(
            name = "order",
            mixinStandardHelpOptions = true,
            description = "The restoration order of a stored plan: its waves, and what each service waits on.")
    static final class Order implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Order(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            output.print(
                    ctx,
                    ctx.api().get(PLANS + "/" + SluiceApi.encode(name) + "/order"),
                    order -> "plan " + order.path("plan").asText() + " v"
                            + order.path("version").asInt() + "\n" + waves(order.path("waves")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Every stored version of a plan.")
    static final class Versions implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Versions(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            output.print(ctx, ctx.api().get(PLANS + "/" + SluiceApi.encode(name) + "/versions"), versions -> {
                Table t = new Table("VERSION", "STORED", "SERVICES", "STAGES", "GATES");
                versions.forEach(v -> t.row(
                        v.path("version").asInt(),
                        RunText.time(v.path("updatedAt").asText()),
                        v.path("spec").path("services").size(),
                        v.path("spec").path("stages").size(),
                        v.path("spec").path("gates").size()));
                return t.render();
            });
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "What changed between two stored versions of a plan, as a line diff of their YAML.")
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "V1")
        int from;

        @Parameters(index = "2", paramLabel = "V2")
        int to;

        private final Context ctx;

        Diff(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            SluiceApi api = ctx.api();
            String base = PLANS + "/" + SluiceApi.encode(name) + "/versions/";
            String a = Json.yaml(api.get(base + from).json().path("spec"));
            String b = Json.yaml(api.get(base + to).json().path("spec"));
            ctx.out().print(LineDiff.unified(name + " v" + from, name + " v" + to, a, b));
            return ExitCodes.OK;
        }
    }

    static String waves(JsonNode waves) {
        Table t = new Table("WAVE", "SERVICE", "PRIORITY", "DEMAND", "WAITS ON", "THEN");
        for (JsonNode wave : waves) {
            for (JsonNode s : wave.path("services")) {
                t.row(
                        wave.path("index").asInt() + 1,
                        s.path("name").asText(),
                        s.path("priority").asText(),
                        RunText.rate(s.path("demandPerSecond")),
                        String.join(",", RunText.strings(s.path("dependsOn"))),
                        String.join(",", RunText.strings(s.path("dependents"))));
            }
        }
        return t.render();
    }
}
