package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice whoami}: which server, and who the configured token is there. */
@Command(
        name = "whoami",
        mixinStandardHelpOptions = true,
        description = "Show the server and the configured token's name, roles and scopes (never the token).")
final class WhoamiCommand implements Callable<Integer> {
    @Mixin
    OutputFormat output;

    private final Context ctx;

    WhoamiCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SluiceApi api = ctx.api();
        output.print(
                ctx,
                api.get("/api/v1/whoami"),
                me -> "server  " + api.url() + "\nname    "
                        + me.path("name").asText() + "\nroles   " + String.join(", ", RunText.strings(me.path("roles")))
                        + "\nscopes  "
                        + (me.path("scopes").isEmpty() ? "-" : String.join(", ", RunText.strings(me.path("scopes"))))
                        + "\n");
        return ExitCodes.OK;
    }
}
