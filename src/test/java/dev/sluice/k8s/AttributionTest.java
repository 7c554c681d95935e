package dev.sluice.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aStampVerifiesForTheObjectAndUserItWasSignedFor() {
        String sig = Attribution.sign(KEY, "RestoreAction", "restore", "pause-1", "alice", "oncall");
        assertThat(Attribution.verify(KEY, "RestoreAction", "restore", "pause-1", "alice", "oncall", sig))
                .isTrue();
    }

    @Test
    void aStampCopiedToAnotherUserObjectOrKindDoesNotVerify() {
        String sig = Attribution.sign(KEY, "RestoreAction", "restore", "pause-1", "alice", "oncall");
        assertThat(Attribution.verify(KEY, "RestoreAction", "restore", "pause-1", "mallory", "oncall", sig))
                .isFalse();
        assertThat(Attribution.verify(KEY, "RestoreAction", "restore", "pause-2", "alice", "oncall", sig))
                .isFalse();
        assertThat(Attribution.verify(KEY, "RestoreRun", "restore", "pause-1", "alice", "oncall", sig))
                .isFalse();
        assertThat(Attribution.verify(KEY, "RestoreAction", "restore", "pause-1", "alice", "admins", sig))
                .isFalse();
    }

    @Test
    void withoutAStampOrKeyTheActorIsUnverified() {
        assertThat(Attribution.verify(KEY, "RestoreAction", "restore", "a", null, null, "x"))
                .isFalse();
        String sig = Attribution.sign(KEY, "RestoreAction", "restore", "a", "alice", "");
        byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        assertThat(Attribution.verify(other, "RestoreAction", "restore", "a", "alice", "", sig))
                .isFalse();
    }

    @Test
    void anObjectNamedByTheApiServerIsSignedByItsPrefix() {
        assertThat(Attribution.subjectName("", "run-pause-")).isEqualTo("generateName:run-pause-");
        assertThat(Attribution.subjectName("run-pause-x7", "run-pause-")).isEqualTo("run-pause-x7");
    }
}
