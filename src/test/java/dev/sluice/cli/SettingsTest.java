package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path home;

    @BeforeEach
    void needsPosixPermissions() {
        Assumptions.assumeTrue(
                home.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "SKIPPED: this file system has no POSIX permissions, so the owner-only check cannot be tested");
    }

    @Test
    void withNothingConfiguredItIsLocalhostWithoutAToken() {
        Settings s = Settings.resolve(Map.of("HOME", home.toString()));
        assertThat(s.url()).hasToString("http://localhost:8080");
        assertThat(s.token()).isNull();
    }

    @Test
    void theDefaultConfigFileUnderHomeGivesUrlAndToken() throws IOException {
        Path config = home.resolve(".config/sluice/config");
        write(config, "# on-call laptop\nurl = https://sluice.example.com/\ntoken=slc_from_file\n", "rw-------");
        Settings s = Settings.resolve(Map.of("HOME", home.toString()));
        assertThat(s.url()).hasToString("https://sluice.example.com");
        assertThat(s.token()).isEqualTo("slc_from_file");
        assertThat(s.tokenSource()).isEqualTo(config.toString());
    }

    @Test
    void theEnvironmentWinsOverTheConfigFile() throws IOException {
        Path config = home.resolve("cfg");
        write(config, "url=http://from-file:1\ntoken=file-token\n", "rw-------");
        Settings s = Settings.resolve(Map.of(
                "HOME",
                home.toString(),
                "SLUICE_CONFIG",
                config.toString(),
                "SLUICE_URL",
                "http://from-env:2",
                "SLUICE_TOKEN",
                "env-token"));
        assertThat(s.url()).hasToString("http://from-env:2");
        assertThat(s.token()).isEqualTo("env-token");
        assertThat(s.tokenSource()).isEqualTo("SLUICE_TOKEN");
    }

    @Test
    void aTokenFileNamedInTheConfigIsReadRelativeToIt() throws IOException {
        Path dir = home.resolve(".config/sluice");
        write(dir.resolve("token"), "slc_in_token_file\n", "r--------");
        write(dir.resolve("config"), "token-file=token\n", "rw-------");
        assertThat(Settings.resolve(Map.of("HOME", home.toString())).token()).isEqualTo("slc_in_token_file");
    }

    @Test
    void sluiceTokenFileIsReadTrimmed() throws IOException {
        Path file = home.resolve("t");
        write(file, "  slc_env_file \n", "rw-------");
        Settings s = Settings.resolve(Map.of("HOME", home.toString(), "SLUICE_TOKEN_FILE", file.toString()));
        assertThat(s.token()).isEqualTo("slc_env_file");
        assertThat(s.toString()).doesNotContain("slc_env_file");
    }

    @Test
    void aConfigFileOthersCanReadIsRefusedLikeSsh() throws IOException {
        Path config = home.resolve(".config/sluice/config");
        write(config, "token=slc_secret\n", "rw-r--r--");
        assertThatThrownBy(() -> Settings.resolve(Map.of("HOME", home.toString())))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("permissions 0644 for " + config + " are too open")
                .hasMessageContaining("chmod 600")
                .hasMessageNotContaining("slc_secret")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void aTokenFileTheGroupCanReadIsRefused() throws IOException {
        Path file = home.resolve("t");
        write(file, "slc_x\n", "rw-r-----");
        assertThatThrownBy(
                        () -> Settings.resolve(Map.of("HOME", home.toString(), "SLUICE_TOKEN_FILE", file.toString())))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("permissions 0640");
    }

    @Test
    void aMissingConfigNamedBySluiceConfigIsAnError() {
        assertThatThrownBy(() -> Settings.resolve(Map.of(
                        "HOME",
                        home.toString(),
                        "SLUICE_CONFIG",
                        home.resolve("nope").toString())))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() throws IOException {
        Path config = home.resolve("cfg");
        write(config, "url=http://x\ntokn=abc\n", "rw-------");
        assertThatThrownBy(() -> Settings.resolve(Map.of("HOME", home.toString(), "SLUICE_CONFIG", config.toString())))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("\"tokn\"")
                .hasMessageNotContaining("abc");
    }

    @Test
    void aUrlThatIsNotHttpIsRefused() {
        assertThatThrownBy(() -> Settings.resolve(Map.of("HOME", home.toString(), "SLUICE_URL", "localhost:8080")))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("SLUICE_URL")
                .hasMessageContaining("not an http(s) URL");
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }
}
