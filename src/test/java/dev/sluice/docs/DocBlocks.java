package dev.sluice.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable blocks of a Markdown document, by the convention {@link ExecutedDocsIT} runs them
 * with (README, "Development": "Docs that are executed").
 *
 * <ul>
 *   <li>A {@code ```console} block is a shell session: a line starting with {@code $ } is a command
 *       (continued on the next line while it ends with {@code \}, or on lines starting with {@code
 *       > }, e.g. a here-document), every other line up to the next command is the output it is
 *       expected to print.
 *   <li>The line {@code _Not run by the docs test: <reason>._} right before a block (blank lines
 *       between are fine) keeps it out, with the reason visible in the rendered document; {@code
 *       _Needs <tool>: the docs test skips this block where it is missing._} runs it only where
 *       {@code tool} is on the PATH.
 *   <li>Any other fenced block with no language, {@code sh}, {@code bash} or {@code shell} is a
 *       mistake: commands are console blocks, run or marked; logs and other text say {@code text}.
 * </ul>
 */
record DocBlocks(String document, List<Block> blocks, List<String> mistakes) {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern NOT_RUN = Pattern.compile("^_Not run by the docs test: (.+)\\._$");
    private static final Pattern NEEDS =
            Pattern.compile("^_Needs ([A-Za-z0-9_.-]+): the docs test skips this block where it is missing\\._$");
    private static final List<String> COMMAND_LANGUAGES = List.of("", "sh", "bash", "shell");

    /** One console block: where it starts, whether it runs, and its commands. */
    record Block(int line, Optional<String> notRunReason, Optional<String> neededTool, List<Step> steps) {}

    /** One command: the line it starts on, the command as bash gets it, and the lines shown after it. */
    record Step(int line, String command, List<String> expected) {}

    static DocBlocks parse(String document, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        List<String> mistakes = new ArrayList<>();
        String marker = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                if (!line.isBlank()) {
                    marker = NOT_RUN.matcher(line.strip()).matches()
                                    || NEEDS.matcher(line.strip()).matches()
                            ? line.strip()
                            : null;
                }
                continue;
            }
            String indent = fence.group(1);
            String language = fence.group(2);
            int start = i + 1;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                body.add(lines.get(i).startsWith(indent) ? lines.get(i).substring(indent.length()) : lines.get(i));
            }
            if (language.equals("console")) {
                Optional<String> notRun = Optional.empty();
                Optional<String> tool = Optional.empty();
                if (marker != null) {
                    Matcher m = NOT_RUN.matcher(marker);
                    if (m.matches()) {
                        notRun = Optional.of(m.group(1));
                    } else {
                        Matcher needs = NEEDS.matcher(marker);
                        needs.matches();
                        tool = Optional.of(needs.group(1));
                    }
                }
                // A block that is not run is only shown: its shape is the reader's business.
                List<String> blockMistakes = new ArrayList<>();
                blocks.add(new Block(start, notRun, tool, steps(start, body, blockMistakes, document)));
                if (notRun.isEmpty()) {
                    mistakes.addAll(blockMistakes);
                }
            } else if (COMMAND_LANGUAGES.contains(language)) {
                mistakes.add(document + ":" + start + ": a fenced block without `console` (commands are console"
                        + " blocks, run or marked \"_Not run by the docs test: ..._\"; other text says `text`)");
            }
            marker = null;
        }
        return new DocBlocks(document, List.copyOf(blocks), List.copyOf(mistakes));
    }

    private static List<Step> steps(int start, List<String> body, List<String> mistakes, String document) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < body.size() && !body.get(i).startsWith("$ ")) {
            if (!body.get(i).isBlank()) {
                mistakes.add(document + ":" + (start + 1 + i) + ": output before the first `$ ` command");
            }
            i++;
        }
        while (i < body.size()) {
            int line = start + 1 + i;
            StringBuilder command = new StringBuilder(body.get(i).substring(2));
            i++;
            while (i < body.size() && (endsWithBackslash(command) || body.get(i).startsWith("> "))) {
                String next = body.get(i);
                command.append('\n').append(next.startsWith("> ") ? next.substring(2) : next);
                i++;
            }
            List<String> expected = new ArrayList<>();
            while (i < body.size() && !body.get(i).startsWith("$ ")) {
                expected.add(body.get(i));
                i++;
            }
            while (!expected.isEmpty() && expected.get(expected.size() - 1).isBlank()) {
                expected.remove(expected.size() - 1);
            }
            steps.add(new Step(line, command.toString(), List.copyOf(expected)));
        }
        return List.copyOf(steps);
    }

    private static boolean endsWithBackslash(StringBuilder command) {
        return command.length() > 0 && command.charAt(command.length() - 1) == '\\';
    }
}
