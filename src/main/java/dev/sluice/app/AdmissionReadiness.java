package dev.sluice.app;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * What a Kubernetes readiness probe should ask ({@code /q/health/group/admission}): can this
 * replica answer admission — permits, leases and the admission webhook? Once started it can, from
 * the allocations it last read, whatever the database does (fail static: a replica that cannot
 * read PostgreSQL keeps the last committed rates). So the database is deliberately not part of this
 * group; {@code /q/health/ready} still includes it, for dashboards and humans.
 */
@HealthGroup("admission")
@ApplicationScoped
public class AdmissionReadiness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("admission")
                .up()
                .withData("serves", "permits, leases and the admission webhook from the last committed allocations")
                .withData("database", "not required: a database outage keeps the last committed rates (fail static)")
                .build();
    }
}
