package dev.sluice.console.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The console as a browser without a browser: its forms posted with REST Assured, cookies carried by hand. */
final class ConsoleForms {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private ConsoleForms() {}

    /** A signed-in session: its cookie and the CSRF token its pages carry. */
    record Session(String cookie, String csrf) {}

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with a CSRF field in:\n" + html).isTrue();
        return m.group(1);
    }

    static Response signInResponse(String token) {
        Response form = given().redirects().follow(false).get("/console/sign-in");
        return given().redirects()
                .follow(false)
                .cookie(ConsoleSignIn.SIGN_IN_CSRF, form.getCookie(ConsoleSignIn.SIGN_IN_CSRF))
                .formParam("csrf", csrfOf(form.asString()))
                .formParam("token", token)
                .post("/console/sign-in");
    }

    static Session signIn(String token) {
        Response signedIn = signInResponse(token);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.getCookie(ConsoleAuth.COOKIE);
        String page = given().redirects()
                .follow(false)
                .cookie(ConsoleAuth.COOKIE, cookie)
                .get("/console")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return new Session(cookie, csrfOf(page));
    }

    static Response post(Session s, String path, String csrf, String... fields) {
        var request = given().redirects().follow(false).cookie(ConsoleAuth.COOKIE, s.cookie());
        if (csrf != null) {
            request.formParam("csrf", csrf);
        }
        for (int i = 0; i < fields.length; i += 2) {
            request.formParam(fields[i], fields[i + 1]);
        }
        return request.post(path);
    }
}
