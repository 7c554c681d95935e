package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sluice's REST API as the command line calls it: one request, one answer, and every refusal turned
 * into a {@link CliFailure} that says what the server said (its problem detail, each violation with
 * its JSON pointer) and which exit code that is. The token goes in the {@code Authorization} header
 * and nowhere else.
 */
final class SluiceApi {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final HttpClient http;

    SluiceApi(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A successful answer: its status, headers and body. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.read(body);
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    Answer postJson(String path, Object body) {
        return send("POST", path, "application/json", Json.write(body), Map.of());
    }

    Answer send(String method, String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest request = request(method, path, contentType, body, headers);
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body());
        if (answer.status() >= 400) {
            throw refusal(method, path, answer);
        }
        return answer;
    }

    /** A GET whose body is streamed (an audit export): the caller closes the stream. */
    InputStream stream(String path) {
        HttpResponse<InputStream> response =
                exchange(request("GET", path, null, null, Map.of()), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw refusal(
                    "GET",
                    path,
                    new Answer(response.statusCode(), response.headers().map(), body));
        }
        return response.body();
    }

    URI url() {
        return settings.url();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the parameters that are set, encoded; empty when none is. */
    static String query(Map<String, ?> parameters) {
        StringBuilder q = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (value != null && !value.toString().isEmpty()) {
                q.append(q.isEmpty() ? '?' : '&').append(name).append('=').append(encode(value.toString()));
            }
        });
        return q.toString();
    }

    static Map<String, Object> parameters(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private HttpRequest request(
            String method, String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(ANSWER_TIMEOUT)
                .header("Accept", "application/json, application/problem+json, */*;q=0.5")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (settings.token() != null) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.UNREACHABLE, "interrupted while waiting for Sluice at " + settings.url());
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, "cannot reach Sluice at " + settings.url() + ": " + why(e));
        }
    }

    /** Why a connection failed, in a few words (the JDK's exceptions often carry no message). */
    static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException
                    && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        // The JDK's HTTP client says nothing more when the port is closed: a ConnectException over a
        // ClosedChannelException, neither with a message.
        return e instanceof ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName();
    }

    /** The server's refusal in words: its problem detail, the fields it names, and what to do. */
    private CliFailure refusal(String method, String path, Answer answer) {
        JsonNode problem = problemOf(answer);
        String detail = problem == null ? null : text(problem, "detail");
        int status = answer.status();
        StringBuilder message = new StringBuilder();
        switch (status) {
            case 401 -> {
                if (settings.token() == null) {
                    message.append("Sluice at ")
                            .append(settings.url())
                            .append(" needs a token: set SLUICE_TOKEN or SLUICE_TOKEN_FILE, or token-file= in ")
                            .append(settings.configFile());
                } else {
                    message.append("Sluice at ")
                            .append(settings.url())
                            .append(" did not accept the token from ")
                            .append(settings.tokenSource())
                            .append(" (401)");
                    if (detail != null) {
                        message.append(": ").append(detail);
                    }
                }
            }
            case 403 ->
                message.append("not allowed (403): ")
                        .append(detail == null ? "the token lacks the role for " + method + " " + path : detail);
            default -> {
                String title = problem == null ? null : text(problem, "title");
                message.append(title == null ? "refused" : title)
                        .append(" (")
                        .append(status)
                        .append(")");
                if (detail != null) {
                    message.append(": ").append(detail);
                } else if (problem == null && answer.body().length > 0 && answer.body().length < 500) {
                    message.append(": ").append(answer.text().strip());
                }
            }
        }
        if (problem != null) {
            List<String> fields = new ArrayList<>();
            for (JsonNode v : problem.path("violations")) {
                String line = text(v, "pointer") + ": " + text(v, "message")
                        + (v.hasNonNull("rule") ? " (" + text(v, "rule") + ")" : "");
                if (detail == null || !detail.equals(text(v, "pointer") + ": " + text(v, "message"))) {
                    fields.add(line);
                }
            }
            fields.forEach(f -> message.append("\n  ").append(f));
            if (problem.hasNonNull("currentVersion")) {
                message.append("\n  current version: ")
                        .append(problem.get("currentVersion").asText());
            }
            if (problem.hasNonNull("line") && problem.path("line").asInt() > 0 && detail == null) {
                message.append("\n  at line ").append(problem.get("line").asInt());
            }
        }
        answer.header("Retry-After")
                .ifPresent(s -> message.append("\n  retry after ").append(s).append(" s"));
        return new CliFailure(ExitCodes.ofStatus(status), message.toString());
    }

    private static JsonNode problemOf(Answer answer) {
        String type = answer.header("Content-Type").orElse("");
        if (!type.contains("json") || answer.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.read(answer.body());
            return node.isObject() ? node : null;
        } catch (CliFailure e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
