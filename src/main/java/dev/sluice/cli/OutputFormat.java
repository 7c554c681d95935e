package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml}: a table for people (the default), the server's JSON as it sent it, or
 * the same as YAML. Mixed into every command that prints an answer.
 */
final class OutputFormat {
    enum Kind {
        table,
        json,
        yaml
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "table (default), json (the server's answer as is) or yaml")
    Kind kind = Kind.table;

    boolean isTable() {
        return kind == Kind.table;
    }

    /** Prints {@code answer} in this format; {@code table} renders it for people. */
    void print(Context ctx, SluiceApi.Answer answer, Function<JsonNode, String> table) {
        switch (kind) {
            case json -> {
                String text = answer.text();
                ctx.out().print(text.endsWith("\n") ? text : text + "\n");
            }
            case yaml -> ctx.out().print(Json.yaml(answer.json()));
            case table -> ctx.out().print(table.apply(answer.json()));
        }
    }

    /** Prints a document the command put together (several pages of one listing, say). */
    void print(Context ctx, JsonNode document, Function<JsonNode, String> table) {
        switch (kind) {
            case json -> ctx.out().println(document.toString());
            case yaml -> ctx.out().print(Json.yaml(document));
            case table -> ctx.out().print(table.apply(document));
        }
    }
}
