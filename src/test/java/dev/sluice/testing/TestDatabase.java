package dev.sluice.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Declares the test database once for every {@code @QuarkusTest}: all integration tests share one
 * application start on one PostgreSQL.
 */
@QuarkusTestResource(PostgresTestResource.class)
public final class TestDatabase {
    private TestDatabase() {}
}
