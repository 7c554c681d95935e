package dev.sluice.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice tokens ...}: {@code /api/v1/tokens} (admin). */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens (admin).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand {
    static final String TOKENS = "/api/v1/tokens";

    private TokensCommand() {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a token. Its secret is printed once, alone on standard output, and never shown again:",
                "  ALICE=$(sluice tokens create alice --role operator)"
            })
    static final class Create implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "recorded as the actor of everything the token does")
        String name;

        @Option(
                names = "--role",
                required = true,
                paramLabel = "ROLE",
                description = "viewer, operator, reviewer, client or admin (repeat for several)")
        List<String> roles;

        @Option(
                names = "--scope",
                paramLabel = "PLAN/SERVICE",
                description = "plan/service, plan/* or * (client tokens)")
        List<String> scopes;

        @Mixin
        OutputFormat output;

        private final Context ctx;

        Create(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("roles", roles);
            body.put("scopes", scopes == null ? List.of() : scopes);
            SluiceApi.Answer answer = ctx.api().postJson(TOKENS, body);
            output.print(ctx, answer, created -> {
                ctx.err()
                        .println("token " + created.path("name").asText() + " ("
                                + String.join(", ", RunText.strings(created.path("roles")))
                                + ") created; its secret is below, shown this once: keep it now");
                return created.path("token").asText() + "\n";
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        OutputFormat output;

        private final Context ctx;

        ListTokens(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            output.print(ctx, ctx.api().get(TOKENS), tokens -> {
                Table t = new Table("ID", "NAME", "ROLES", "SCOPES", "CREATED", "BY", "REVOKED");
                tokens.forEach(k -> t.row(
                        k.path("id").asText(),
                        k.path("name").asText(),
                        String.join(",", RunText.strings(k.path("roles"))),
                        String.join(",", RunText.strings(k.path("scopes"))),
                        RunText.time(k.path("createdAt").asText()),
                        k.path("createdBy").asText(),
                        k.hasNonNull("revokedAt")
                                ? RunText.time(k.get("revokedAt").asText())
                                : null));
                return t.render();
            });
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token by its id (from tokens list); other replicas stop accepting it within 5 s.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the record")
        String reason;

        private final Context ctx;

        Revoke(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.api()
                    .send(
                            "DELETE",
                            TOKENS + "/" + SluiceApi.encode(id)
                                    + SluiceApi.query(SluiceApi.parameters("reason", reason)),
                            null,
                            null,
                            Map.of());
            ctx.out().println("revoked token " + id);
            return ExitCodes.OK;
        }
    }
}
