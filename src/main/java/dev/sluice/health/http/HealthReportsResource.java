package dev.sluice.health.http;

import dev.sluice.access.http.ScopeCheck;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.Role;
import dev.sluice.health.HealthSample;
import dev.sluice.health.store.HealthReports;
import dev.sluice.plan.CompiledPlan;
import dev.sluice.plan.HealthSource;
import dev.sluice.plan.HealthSourceKind;
import dev.sluice.plan.PlanCompiler;
import dev.sluice.plan.store.PlanStore;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/plans/{plan}/health-reports}: health pushed by systems that cannot be probed. */
@Path("/api/v1/plans/{plan}/health-reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "health")
@RolesAllowed({Role.OPERATOR_NAME, Role.CLIENT_NAME})
public class HealthReportsResource {
    @Inject
    PlanStore plans;

    @Inject
    HealthReports reports;

    @Inject
    SecurityIdentity caller;

    /**
     * @param source the name of a {@code push} health source of the plan
     * @param service the service the source belongs to; absent for a tier source
     */
    public record Report(String source, String service, Double errorRatio, Double latencyMillis) {}

    public record Accepted(String source, Instant at) {}

    @POST
    @Operation(summary = "Push a health sample for a push source of the plan (tier or service)")
    public Response push(@PathParam("plan") String planName, Report report) {
        if (report == null) {
            throw DomainException.invalidField("", "required", "send {\"source\", \"errorRatio\", \"latencyMillis\"}");
        }
        ScopeCheck.requireForPlan(caller, planName);
        CompiledPlan plan = PlanCompiler.compileStored(plans.get(planName).spec());
        if (report.service() != null && !plan.hasService(report.service())) {
            throw DomainException.invalidField(
                    "/service", "unknown-service", "plan " + planName + " has no service \"" + report.service() + "\"");
        }
        String owner = report.service() == null ? "the tier" : "service " + report.service();
        boolean isPushSource = plan.sourcesOf(report.service()).stream()
                .anyMatch(h -> h.kind() == HealthSourceKind.PUSH && h.name().equals(report.source()));
        if (report.source() == null || !isPushSource) {
            throw DomainException.invalidField(
                    "/source",
                    "unknown-source",
                    owner + " of plan " + planName
                            + " has no push health source named \"" + report.source() + "\"; push sources: "
                            + plan.sourcesOf(report.service()).stream()
                                    .filter(h -> h.kind() == HealthSourceKind.PUSH)
                                    .map(HealthSource::name)
                                    .toList());
        }
        if (report.errorRatio() == null && report.latencyMillis() == null) {
            throw DomainException.invalidField("", "one-of", "report errorRatio, latencyMillis, or both");
        }
        if (report.errorRatio() != null && !(report.errorRatio() >= 0 && report.errorRatio() <= 1)) {
            throw DomainException.invalidField("/errorRatio", "range", "must be between 0 and 1");
        }
        if (report.latencyMillis() != null
                && !(report.latencyMillis() >= 0 && Double.isFinite(report.latencyMillis()))) {
            throw DomainException.invalidField("/latencyMillis", "range", "must be a finite number, 0 or more");
        }
        String key = HealthSample.key(report.service(), report.source());
        Instant at = reports.record(planName, key, report.errorRatio(), report.latencyMillis());
        return Response.accepted(new Accepted(key, at)).build();
    }
}
