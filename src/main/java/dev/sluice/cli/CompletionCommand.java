package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice completion bash}: a completion script for bash (and zsh with bashcompinit). */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a shell completion script. In bash: source <(./sluice completion bash)",
            "In zsh: autoload -U +X bashcompinit && bashcompinit && source <(./sluice completion bash)"
        })
final class CompletionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash (zsh reads it too)")
    String shell;

    @Spec
    CommandSpec spec;

    private final Context ctx;

    CompletionCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CliFailure(
                    ExitCodes.USAGE, "completion is for bash (and zsh through bashcompinit), not " + shell);
        }
        ctx.out().print(AutoComplete.bash("sluice", spec.root().commandLine()));
        // Bash completes by the command word as typed: also for the script run from a clone.
        ctx.out().println("complete -o default -F _complete_sluice ./sluice");
        return ExitCodes.OK;
    }
}
