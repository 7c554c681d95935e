package dev.sluice.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Every REST Assured call in the tests carries the test profile's bootstrap admin token unless the
 * test sets its own {@code Authorization} header. Registered for every {@code @QuarkusTest} as a
 * Quarkus test callback (META-INF/services).
 */
public class TestAuthentication implements QuarkusTestBeforeEachCallback {
    /** The {@code %test} profile's {@code sluice.bootstrap-token}. */
    public static final String ADMIN_TOKEN = "slc_testadmn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private static final Filter ADMIN_UNLESS_TOLD_OTHERWISE = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (!RestAssured.filters().contains(ADMIN_UNLESS_TOLD_OTHERWISE)) {
            RestAssured.filters(ADMIN_UNLESS_TOLD_OTHERWISE);
        }
    }
}
