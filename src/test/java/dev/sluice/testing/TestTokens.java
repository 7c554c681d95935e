package dev.sluice.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens for test callers, created once per name through the tokens API (as the admin). */
public final class TestTokens {
    private static final Map<String, String> BY_NAME = new ConcurrentHashMap<>();

    private TestTokens() {}

    /** A token named {@code name} with these roles (and, for clients, scopes). */
    public static String token(String name, List<String> roles, List<String> scopes) {
        return BY_NAME.computeIfAbsent(
                name,
                n -> given().contentType(ContentType.JSON)
                        .body(Map.of("name", n, "roles", roles, "scopes", scopes))
                        .post("/api/v1/tokens")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("token"));
    }

    public static String operator(String name) {
        return token(name, List.of("operator"), List.of());
    }

    /** REST Assured acting as the holder of {@code token}. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
