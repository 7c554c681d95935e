package dev.sluice.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocBlocksTest {

    @Test
    void aConsoleBlockIsCommandsEachFollowedByWhatItPrints() {
        DocBlocks doc = DocBlocks.parse("doc.md", """
                Text.

                ```console
                $ echo one \\
                    two
                one two
                $ cat <<'EOF'
                > x
                > EOF
                x
                ```
                """);

        assertThat(doc.mistakes()).isEmpty();
        assertThat(doc.blocks()).hasSize(1);
        List<DocBlocks.Step> steps = doc.blocks().get(0).steps();
        assertThat(steps).extracting(DocBlocks.Step::line).containsExactly(4, 7);
        assertThat(steps.get(0).command()).isEqualTo("echo one \\\n    two");
        assertThat(steps.get(0).expected()).containsExactly("one two");
        assertThat(steps.get(1).command()).isEqualTo("cat <<'EOF'\nx\nEOF");
        assertThat(steps.get(1).expected()).containsExactly("x");
    }

    @Test
    void aVisibleMarkerKeepsABlockOutOrAsksForATool() {
        DocBlocks doc = DocBlocks.parse("doc.md", """
                _Not run by the docs test: needs a Kubernetes cluster._

                ```console
                $ kubectl get rr
                ```

                _Needs kubectl: the docs test skips this block where it is missing._

                ```console
                $ kubectl version --client
                ```
                """);

        assertThat(doc.blocks().get(0).notRunReason()).contains("needs a Kubernetes cluster");
        assertThat(doc.blocks().get(1).notRunReason()).isEmpty();
        assertThat(doc.blocks().get(1).neededTool()).contains("kubectl");
    }

    @Test
    void commandsOutsideAConsoleBlockAreAMistake() {
        DocBlocks doc = DocBlocks.parse("doc.md", "a\n\n```\ncurl localhost:8080\n```\n\n```text\nlog\n```\n");

        assertThat(doc.mistakes()).singleElement().asString().startsWith("doc.md:3:");
    }

    @Test
    void placeholdersAndElisionMatchWhatChangesFromRunToRun() {
        ExpectedOutput shown = new ExpectedOutput(List.of("run <id> started at <time>", "...", "done in ... s"));

        assertThat(shown.matches(List.of("run 1f2e started at 10:22:50", "done in 3 s")))
                .isTrue();
        assertThat(shown.matches(List.of("run 1f2e started at 10:22:50", "a", "b", "done in 3 s")))
                .isTrue();
        assertThat(shown.matches(List.of("run  started at 10:22:50", "done in 3 s")))
                .as("a placeholder stands for some text, not none")
                .isFalse();
        assertThat(shown.matches(List.of("run 1f2e started at 10:22:50", "done in 3 s", "and more")))
                .as("every printed line is accounted for")
                .isFalse();
    }

    @Test
    void curlsCarriageReturnsAndTrailingBlankLinesAreNotOutput() {
        assertThat(ExpectedOutput.printedLines("HTTP/1.1 200 OK\r\nA: b  \r\n\n\n"))
                .containsExactly("HTTP/1.1 200 OK", "A: b");
    }
}
