package dev.sluice.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sluice COMMAND ...}: the operator's command line, a thin client of Sluice's REST API (the
 * JDK's HTTP client and Jackson; no Quarkus, no database), plus the simulator, which needs no server
 * at all. {@code dev.sluice.app.SluiceMain} hands a command line here before Quarkus starts; with no
 * command it starts the server instead.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        description = {
            "Sluice's command line: plans, runs, tokens and the audit log over the REST API, and the simulator.",
            "Server and token from SLUICE_URL (default http://localhost:8080) and SLUICE_TOKEN or SLUICE_TOKEN_FILE,"
                    + " or the config file $SLUICE_CONFIG (default ~/.config/sluice/config). Without a command,"
                    + " ./sluice starts the server."
        },
        subcommands = {
            PlansCommand.class,
            RunsCommand.class,
            TokensCommand.class,
            AuditCommand.class,
            WhoamiCommand.class,
            SimulateCommand.class,
            CompletionCommand.class
        })
public final class SluiceCli implements Callable<Integer> {
    private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    @Spec
    CommandSpec spec;

    private final Context ctx;

    SluiceCli(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.out());
        return ExitCodes.OK;
    }

    /**
     * Whether these program arguments are a command for the command line rather than options for
     * the server: a first argument that is a word (or a help or version flag).
     */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && (!args[0].startsWith("-") || ROOT_OPTIONS.contains(args[0]));
    }

    /** The command line alone, without the server's launcher (the {@code ./sluice} script's quick path). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line with the process's environment and streams; returns the exit code. */
    public static int run(String[] args) {
        return run(args, new Context(System.getenv(), System.in, System.out, System.err, System.console() != null));
    }

    /** Runs a command line against {@code env} (not the process's), printing to the given streams. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, new Context(env, System.in, out, err, false));
    }

    public static int run(String[] args, Context ctx) {
        CommandLine commandLine = commandLine(ctx);
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    var constructor = type.getDeclaredConstructor(Context.class);
                    constructor.setAccessible(true);
                    return constructor.newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine commandLine = new CommandLine(SluiceCli.class, factory);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new java.io.OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            ctx.out().flush();
            if (e instanceof CliFailure failure) {
                ctx.err().println("sluice: " + failure.getMessage());
                return failure.exitCode();
            }
            // Not a refusal we foresaw: one line, no stack trace; the server's log has its side.
            ctx.err().println("sluice: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.SERVER;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "(development build)" : version)};
        }
    }
}
