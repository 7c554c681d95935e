package dev.sluice.access.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/**
 * {@code sluice.bootstrap-token} ({@code SLUICE_BOOTSTRAP_TOKEN}), unset by default: the first admin
 * token, used only when no token exists yet (otherwise one is generated, see {@link TokenBootstrap}).
 * It must have the form of a token, or start-up stops; blank counts as unset, and surrounding white
 * space (a Secret written from a file with a newline) is ignored.
 */
@ConfigMapping(prefix = "sluice.bootstrap-token")
interface BootstrapToken {
    @WithParentName
    Optional<@Pattern(regexp = "\\s*(" + TokenStore.FORMAT_REGEX + ")?\\s*", message = MESSAGE) String> value();

    String MESSAGE = "must have the form slc_<8 lower-case letters or digits>_<43 base64url characters>";
}
