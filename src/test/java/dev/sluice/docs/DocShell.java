package dev.sluice.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bash session for one document: commands run in it one after the other, so what one exports
 * the next one sees, exactly as for a reader typing them into one terminal. Each command's standard
 * output and error go to a file together; the session's own output carries only the exit status.
 */
final class DocShell implements AutoCloseable {
    private static final String DONE = "__sluice_docs_done__";

    /** What one command printed (standard output and error, interleaved) and its exit status. */
    record Result(String printed, int exitStatus) {}

    private final Process bash;
    private final Writer commands;
    private final BufferedReader statuses;
    private final Path output;

    DocShell(Path workingDirectory, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc")
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        try {
            output = Files.createTempFile(workingDirectory.getParent(), "command-", ".out");
            bash = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commands = new java.io.OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        statuses = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code command} in the session and waits at most {@code limit}; a command still going
     * then fails the document (and the session is ended).
     */
    Result run(String command, Duration limit) throws IOException {
        // A brace group runs in this shell (exports stay); the redirection covers the whole command.
        commands.write("{\n" + command + "\n} > '" + output + "' 2>&1 < /dev/null\necho \"" + DONE + " $?\"\n");
        commands.flush();
        CompletableFuture<String> status = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = statuses.readLine(); line != null; line = statuses.readLine()) {
                    if (line.startsWith(DONE + " ")) {
                        return line.substring(DONE.length() + 1);
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String exit = status.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (exit == null) {
                throw new AssertionError("the shell ended; it printed:\n" + Files.readString(output));
            }
            return new Result(Files.readString(output), Integer.parseInt(exit.strip()));
        } catch (TimeoutException e) {
            String printed = Files.readString(output);
            close();
            throw new AssertionError("still running after " + limit.toSeconds() + " s; it printed so far:\n" + printed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Override
    public void close() {
        // The session's background jobs (a reporting loop) are its children: end them with it.
        bash.descendants().forEach(ProcessHandle::destroy);
        bash.destroy();
        try {
            if (!bash.waitFor(5, TimeUnit.SECONDS)) {
                bash.descendants().forEach(ProcessHandle::destroyForcibly);
                bash.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
