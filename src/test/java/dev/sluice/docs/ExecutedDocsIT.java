package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.testing.PostgresTestResource;
import dev.sluice.testing.SluiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's and every runbook's console blocks, in the order written, each document in one
 * bash session against its own fresh Sluice (the packaged jar, started in an empty working directory
 * that holds a copy of {@code examples/} and {@code deploy/} and a {@code ./sluice} that is the project's), and compares
 * what each command prints with what the document shows. The block convention is {@link DocBlocks}'s
 * and {@link ExpectedOutput}'s (README, "Development").
 *
 * <p>Sluice listens on a free port: {@code localhost:8080} in a command is that port (and so is the
 * command line's default address: the shell's {@code SLUICE_URL}), and the port in what a command
 * prints reads as {@code 8080}. A document whose first block is {@code $ ./sluice}
 * starts Sluice there (the shown lines are compared with its log); any other document gets it started
 * before its first block. A command must exit 0 (a document shows a failing one with {@code || echo
 * ...}) and may not put a token on its command line ({@code Bearer $TOKEN}: {@code ps} shows every
 * argument; a shell builtin such as {@code printf} writing a header file is not a process).
 */
class ExecutedDocsIT {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(180);
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    /** A token expanded into a command's arguments ({@code -H "Authorization: Bearer $TOKEN"}). */
    private static final Pattern TOKEN_IN_ARGUMENTS = Pattern.compile("Bearer (\\$|slc_)");

    @TempDir
    static Path scratch;

    private static final List<DocRun> RUNS = new ArrayList<>();

    @AfterAll
    static void stopEverything() {
        RUNS.forEach(DocRun::close);
    }

    @TestFactory
    Stream<DynamicNode> everyCommandOfTheReadmeAndTheRunbooksPrintsWhatItShows() throws IOException {
        Assumptions.assumeTrue(
                PostgresTestResource.externalUrl() == null,
                "the docs run on fresh instances with their own embedded database, as a newcomer's;"
                        + " the pass against an external PostgreSQL (CI's second) has nothing to add");
        List<Path> documents = new ArrayList<>();
        documents.add(PROJECT.resolve("README.md"));
        try (Stream<Path> runbooks = Files.list(PROJECT.resolve("runbooks"))) {
            runbooks.filter(p -> p.toString().endsWith(".md"))
                    .sorted(Comparator.naturalOrder())
                    .forEach(documents::add);
        }
        // -Dsluice.docs=README.md,runbooks/run-a-restoration.md runs only those (while writing them).
        String only = System.getProperty("sluice.docs", "");
        return documents.stream()
                .filter(p -> only.isBlank()
                        || List.of(only.split(","))
                                .contains(PROJECT.relativize(p).toString()))
                .map(this::document);
    }

    private DynamicNode document(Path path) {
        String name = PROJECT.relativize(path).toString();
        DocBlocks doc;
        try {
            doc = DocBlocks.parse(name, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DocRun run = new DocRun(doc);
        RUNS.add(run);
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest(
                name + " follows the block convention",
                () -> assertTrue(doc.mistakes().isEmpty(), () -> String.join("\n", doc.mistakes()))));
        for (DocBlocks.Block block : doc.blocks()) {
            tests.add(DynamicTest.dynamicTest(name + ":" + block.line(), () -> run.block(block)));
        }
        if (name.equals("README.md")) {
            tests.add(DynamicTest.dynamicTest(
                    "README.md: Sluice listens on 127.0.0.1 only, as the quick start says",
                    run::listensOnLoopbackOnly));
        }
        tests.add(DynamicTest.dynamicTest(name + ": stop Sluice", run::close));
        return DynamicContainer.dynamicContainer(name, tests);
    }

    /** One document's session: its working directory, its Sluice, its shell. */
    private static final class DocRun implements AutoCloseable {
        private final DocBlocks doc;
        private Path work;
        private SluiceProcess sluice;
        private DocShell shell;
        private String failedAt;

        DocRun(DocBlocks doc) {
            this.doc = doc;
        }

        void block(DocBlocks.Block block) throws IOException {
            String where = doc.document() + ":" + block.line();
            if (block.notRunReason().isPresent()) {
                Assumptions.abort(where + " is not run: " + block.notRunReason().get());
            }
            if (block.neededTool().isPresent() && !onPath(block.neededTool().get())) {
                Assumptions.abort(where + " needs " + block.neededTool().get() + ", which is not installed; skipping");
            }
            if (failedAt != null) {
                Assumptions.abort(where + " is not run: " + failedAt + " failed before it");
            }
            failedAt = where;
            List<DocBlocks.Step> steps = block.steps();
            int first = 0;
            if (!steps.isEmpty() && steps.get(0).command().equals("./sluice")) {
                startSluice(steps.get(0));
                first = 1;
            } else if (sluice == null) {
                startSluice(null);
            }
            for (DocBlocks.Step step : steps.subList(first, steps.size())) {
                runStep(step);
            }
            failedAt = null;
        }

        private void runStep(DocBlocks.Step step) throws IOException {
            String where = doc.document() + ":" + step.line();
            if (TOKEN_IN_ARGUMENTS.matcher(step.command()).find()) {
                fail(where + ": a token on the command line (`ps` shows it): read it from a file (`curl -H @file`)"
                        + " or use ./sluice\n  $ " + step.command());
            }
            if (!completeShellSyntax(step.command())) {
                fail(where + ": not a complete command (a quote or here-document runs past its lines: continue"
                        + " a line with `\\` or `> `)\n  $ " + step.command());
            }
            String port = Integer.toString(sluice.port());
            DocShell.Result result = shell.run(
                    step.command()
                            .replace("localhost:8080", "localhost:" + port)
                            .replace("127.0.0.1:8080", "127.0.0.1:" + port),
                    COMMAND_LIMIT);
            String printed = result.printed()
                    .replace("localhost:" + port, "localhost:8080")
                    .replace("127.0.0.1:" + port, "127.0.0.1:8080");
            List<String> lines = ExpectedOutput.printedLines(printed);
            ExpectedOutput expected = new ExpectedOutput(step.expected());
            if (result.exitStatus() != 0 || !expected.matches(lines)) {
                fail(where + ": " + (result.exitStatus() != 0 ? "exit status " + result.exitStatus() + "; " : "")
                        + "printed other than shown\n  $ " + step.command().replace("\n", "\n    ")
                        + "\n--- shown\n" + String.join("\n", expected.shown())
                        + "\n--- printed\n" + String.join("\n", lines) + "\n---");
            }
        }

        private void startSluice(DocBlocks.Step shown) throws IOException {
            work = Files.createDirectories(
                    scratch.resolve(doc.document().replace('/', '-')).resolve("work"));
            copyTree(PROJECT.resolve("examples"), work.resolve("examples"));
            copyTree(PROJECT.resolve("deploy"), work.resolve("deploy"));
            Path launcher = work.resolve("sluice");
            Files.writeString(launcher, "#!/usr/bin/env sh\nexec '" + PROJECT.resolve("sluice") + "' \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path log = work.getParent().resolve("sluice.log");
            sluice = SluiceProcess.start(log, Map.of(), work);
            // The command line's default address is http://localhost:8080: make it this Sluice's.
            shell = new DocShell(work, Map.of("SLUICE_URL", "http://localhost:" + sluice.port()));
            if (shown != null) {
                String port = Integer.toString(sluice.port());
                List<String> lines = ExpectedOutput.printedLines(sluice.log().replace(":" + port, ":8080"));
                ExpectedOutput expected = new ExpectedOutput(shown.expected());
                if (!expected.matches(lines)) {
                    fail(doc.document() + ":" + shown.line() + ": Sluice's log reads other than shown"
                            + "\n--- shown\n" + String.join("\n", expected.shown())
                            + "\n--- logged\n" + String.join("\n", lines) + "\n---");
                }
            }
        }

        /** Connecting to this host's other addresses is refused: only the loopback one is bound. */
        void listensOnLoopbackOnly() throws IOException {
            Assumptions.assumeTrue(sluice != null, "the README's blocks did not start Sluice");
            List<InetAddress> others = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    Collections.list(nic.getInetAddresses()).stream()
                            .filter(a -> a instanceof Inet4Address)
                            .forEach(others::add);
                }
            }
            Assumptions.assumeFalse(others.isEmpty(), "this host has no address but loopback; skipping");
            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), sluice.port())) {
                assertTrue(loopback.isConnected());
            }
            for (InetAddress other : others) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other, sluice.port()), 2000);
                    fail("Sluice answers on " + other.getHostAddress() + ":" + sluice.port()
                            + ", not on 127.0.0.1 only");
                } catch (ConnectException refused) {
                    // what loopback-only means
                }
            }
        }

        @Override
        public void close() {
            if (shell != null) {
                shell.close();
                shell = null;
            }
            if (sluice != null) {
                sluice.stop();
                sluice = null;
            }
        }

        /** Whether bash reads {@code command} as whole (else the session would wait for the rest). */
        private static boolean completeShellSyntax(String command) {
            try {
                return new ProcessBuilder("bash", "-n", "-c", command)
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start()
                                .waitFor()
                        == 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static boolean onPath(String tool) {
            try {
                return new ProcessBuilder("bash", "-c", "command -v '" + tool + "'")
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start()
                                .waitFor()
                        == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static void copyTree(Path from, Path to) throws IOException {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }
}
