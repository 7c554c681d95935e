package dev.sluice.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs with: the environment it reads its settings from (the process's own, or a
 * test's map), its streams, and whether standard output is a terminal (for {@code runs watch}).
 */
public record Context(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean terminal) {

    /** The server to talk to, resolved from this context's environment and config file. */
    SluiceApi api() {
        return new SluiceApi(Settings.resolve(env));
    }
}
