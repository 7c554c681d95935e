package dev.sluice.access.http;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token to verify. */
class TokenAuthenticationRequest extends BaseAuthenticationRequest {
    private final String token;

    public TokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
