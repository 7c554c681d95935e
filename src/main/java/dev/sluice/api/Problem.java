package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 * {@code type} is a stable URI per kind of problem; {@code extensions} carry problem-specific
 * members such as {@code violations}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:sluice:problem:";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, Map.of());
    }

    public Problem with(String member, Object value) {
        if (java.util.Set.of("type", "title", "status", "detail", "instance").contains(member)) {
            throw new IllegalArgumentException(member + " is a standard problem member, not an extension");
        }
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    public Problem at(String requestPath) {
        return new Problem(type, title, status, detail, requestPath, extensions);
    }

    @JsonAnyGetter
    public Map<String, Object> members() {
        return extensions;
    }
}
