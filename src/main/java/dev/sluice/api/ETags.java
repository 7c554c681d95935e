package dev.sluice.api;

/** Versions as entity tags: {@code "3"}, and reading them back from {@code If-Match}. */
public final class ETags {
    private ETags() {}

    /**
     * The version an {@code If-Match} header names; accepts {@code "3"}, {@code W/"3"} and a bare
     * {@code 3}. Null for an absent or blank header.
     *
     * @throws ProblemException 400 naming {@code If-Match} when it is not a version
     */
    public static Integer ifMatch(String header, String ofWhat) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidParameter(
                    "If-Match", "etag", "must be the ETag of " + ofWhat + ", such as \"3\", got " + header);
        }
    }
}
