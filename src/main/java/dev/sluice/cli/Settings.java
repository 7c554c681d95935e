package dev.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where Sluice is and which token to show it. From the environment first ({@code SLUICE_URL},
 * {@code SLUICE_TOKEN}, {@code SLUICE_TOKEN_FILE}), then the config file ({@code SLUICE_CONFIG},
 * default {@code ~/.config/sluice/config}: {@code url=}, {@code token=} or {@code token-file=}).
 * Never from an argument: a token on a command line ends up in shell history and {@code ps}.
 *
 * <p>A file that holds a token (the config file, a token file) must be readable by its owner only;
 * like ssh, a file group or others can read or write is refused, not used.
 *
 * @param url the server's base URL, without a trailing slash
 * @param token the bearer token, null when none is configured
 * @param tokenSource where the token came from, for messages (never the token itself)
 * @param configFile the config file consulted, for messages
 */
record Settings(URI url, String token, String tokenSource, Path configFile) {
    static final String DEFAULT_URL = "http://localhost:8080";
    static final List<String> KEYS = List.of("url", "token", "token-file");
    private static final Set<PosixFilePermission> NOT_FOR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    @Override
    public String toString() {
        // A record prints its components; this one must never print its token.
        return "Settings[url=" + url + ", token from " + tokenSource + "]";
    }

    static Settings resolve(Map<String, String> env) {
        Path configFile = configFile(env);
        Map<String, String> config = readConfig(configFile, env.get("SLUICE_CONFIG") != null);
        String url = firstSet(env.get("SLUICE_URL"), config.get("url"), DEFAULT_URL);
        String token;
        String source;
        if (set(env.get("SLUICE_TOKEN"))) {
            token = env.get("SLUICE_TOKEN").trim();
            source = "SLUICE_TOKEN";
        } else if (set(env.get("SLUICE_TOKEN_FILE"))) {
            Path file = expandHome(env.get("SLUICE_TOKEN_FILE").trim(), env);
            token = readTokenFile(file);
            source = "SLUICE_TOKEN_FILE (" + file + ")";
        } else if (set(config.get("token"))) {
            token = config.get("token");
            source = configFile.toString();
        } else if (set(config.get("token-file"))) {
            Path file = expandHome(config.get("token-file"), env);
            if (!file.isAbsolute() && configFile.getParent() != null) {
                file = configFile.getParent().resolve(file);
            }
            token = readTokenFile(file);
            source = "token-file " + file + " (named in " + configFile + ")";
        } else {
            token = null;
            source = "nowhere";
        }
        return new Settings(
                parseUrl(url, env.get("SLUICE_URL") != null ? "SLUICE_URL" : configFile.toString()),
                token,
                source,
                configFile);
    }

    static Path configFile(Map<String, String> env) {
        if (set(env.get("SLUICE_CONFIG"))) {
            return expandHome(env.get("SLUICE_CONFIG").trim(), env);
        }
        return home(env).resolve(".config").resolve("sluice").resolve("config");
    }

    /**
     * The config file's settings; none when the default file does not exist. A file named by
     * {@code SLUICE_CONFIG} must exist.
     */
    static Map<String, String> readConfig(Path file, boolean named) {
        List<String> lines;
        try {
            checkOwnerOnly(file);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (named) {
                throw new CliFailure(ExitCodes.USAGE, "SLUICE_CONFIG names " + file + ", which does not exist");
            }
            return Map.of();
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.USAGE, "cannot read the config file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !KEYS.contains(key)) {
                throw new CliFailure(
                        ExitCodes.USAGE,
                        file + " line " + (i + 1) + ": expected one of " + String.join("=, ", KEYS)
                                + "= followed by a value"
                                + (eq < 0 ? "" : ", got the unknown key \"" + key + "\""));
            }
            settings.put(key, line.substring(eq + 1).strip());
        }
        return settings;
    }

    static String readTokenFile(Path file) {
        try {
            checkOwnerOnly(file);
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new CliFailure(ExitCodes.USAGE, "the token file " + file + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.USAGE, "the token file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.USAGE, "cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    /** Refuses a file that holds a secret when its group or others may read or write it. */
    static void checkOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions on this file system (Windows): nothing to check
        }
        if (permissions.stream().anyMatch(NOT_FOR_OTHERS::contains)) {
            throw new CliFailure(
                    ExitCodes.USAGE,
                    String.format(
                            Locale.ROOT,
                            "permissions %s for %s are too open: it can hold a token, so it must be readable"
                                    + " by you only; run: chmod 600 %s",
                            octal(permissions),
                            file,
                            file));
        }
    }

    static String octal(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format(Locale.ROOT, "%04o", bits);
    }

    private static URI parseUrl(String url, String from) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CliFailure(
                ExitCodes.USAGE, "the Sluice URL from " + from + " is not an http(s) URL with a host: " + url);
    }

    private static Path expandHome(String path, Map<String, String> env) {
        if (path.equals("~") || path.startsWith("~/")) {
            return home(env).resolve(path.equals("~") ? "" : path.substring(2));
        }
        return Path.of(path);
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(set(home) ? home : System.getProperty("user.home"));
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (set(v)) {
                return v;
            }
        }
        return null;
    }
}
