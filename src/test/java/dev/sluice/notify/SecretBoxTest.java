package dev.sluice.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    final SecretBox box = new SecretBox(new byte[32], new SecureRandom());

    @Test
    void aSealedSecretOpensToItselfAndDoesNotContainIt() {
        String sealed = box.seal("sub_1", "whsec_abc");
        assertThat(sealed).startsWith("v1:").doesNotContain("whsec_abc");
        assertThat(box.open("sub_1", sealed)).isEqualTo("whsec_abc");
    }

    @Test
    void aSecretMovedToAnotherSubscriptionDoesNotOpen() {
        String sealed = box.seal("sub_1", "whsec_abc");
        assertThatThrownBy(() -> box.open("sub_2", sealed)).hasMessageContaining("does not open");
    }

    @Test
    void anotherKeyCannotOpenIt() {
        byte[] other = new byte[32];
        other[0] = 1;
        String sealed = box.seal("sub_1", "whsec_abc");
        assertThatThrownBy(() -> new SecretBox(other, new SecureRandom()).open("sub_1", sealed))
                .hasMessageContaining("does not open");
    }
}
