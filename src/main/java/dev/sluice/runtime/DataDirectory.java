package dev.sluice.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code sluice.data-dir} ({@code SLUICE_DATA_DIR}), default {@code sluice-data}: where Sluice keeps
 * its own files, the embedded PostgreSQL's data ({@code <dir>/postgres}) and the first admin token
 * ({@code <dir>/admin-token}). Blank stops start-up.
 */
@ConfigMapping(prefix = "sluice.data-dir")
public interface DataDirectory {
    @WithParentName
    @WithDefault("sluice-data")
    @NotBlank
    String path();
}
