package dev.sluice.notify;

import dev.sluice.domain.DomainException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A subscription's target: an absolute http or https URL with a host and no user information.
 * Credentials in a URL end up in logs and listings; a receiver authenticates Sluice by the
 * signature instead.
 */
public final class TargetUrl {
    static final int MAX_LENGTH = 2000;

    private TargetUrl() {}

    /** @throws DomainException an invalid field at {@code pointer}, naming the rule broken */
    public static URI parse(String pointer, String url) {
        if (url == null || url.isBlank()) {
            throw DomainException.invalidField(pointer, "required", "give the http or https URL to deliver to");
        }
        if (url.length() > MAX_LENGTH) {
            throw DomainException.invalidField(pointer, "max-length", "a target URL has at most 2000 characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DomainException.invalidField(pointer, "url", "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw DomainException.invalidField(pointer, "http-or-https", "a target URL is http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw DomainException.invalidField(
                    pointer,
                    "no-credentials",
                    "a target URL carries no user or password; the receiver verifies the signature instead");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw DomainException.invalidField(pointer, "url", "a target URL names a host");
        }
        if (uri.getRawFragment() != null) {
            throw DomainException.invalidField(pointer, "url", "a target URL has no #fragment");
        }
        return uri;
    }

    /** The URL as logs and metrics may show it: scheme, host and port, no path or query. */
    public static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /**
     * The URL as a viewer may see it: the origin, then {@code /…} for any path or query. Slack-style
     * incoming webhooks carry their credential in the path, so only admins see the whole URL.
     */
    public static String redacted(URI uri) {
        boolean more = (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null;
        return origin(uri) + (more ? "/…" : "");
    }
}
