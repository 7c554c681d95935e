package dev.sluice.console.http;

import io.quarkus.qute.TemplateData;

/** The types the console's templates read: Quarkus generates their value resolvers at build time. */
@TemplateData(target = dev.sluice.console.RunDigest.Row.class)
@TemplateData(target = dev.sluice.console.RunDigest.Detail.class)
@TemplateData(target = dev.sluice.console.RunDigest.StageLine.class)
@TemplateData(target = dev.sluice.console.RunDigest.ServiceLine.class)
@TemplateData(target = dev.sluice.console.RunDigest.Wave.class)
@TemplateData(target = dev.sluice.console.RunDigest.GateLine.class)
@TemplateData(target = dev.sluice.console.Preview.class)
@TemplateData(target = dev.sluice.console.ConsoleAction.class)
@TemplateData(target = dev.sluice.audit.AuditEvent.class)
@TemplateData(target = dev.sluice.plan.Violation.class)
@TemplateData(target = dev.sluice.plan.StoredPlan.class)
@TemplateData(target = dev.sluice.plan.RestorationOrder.Wave.class)
@TemplateData(target = dev.sluice.plan.RestorationOrder.Entry.class)
@TemplateData(target = dev.sluice.plan.RestorePlan.class)
@TemplateData(target = dev.sluice.plan.Tier.class)
@TemplateData(target = dev.sluice.api.Problem.class)
@TemplateData(target = ConsoleCaller.class)
@TemplateData(target = ConsoleSessions.Session.class)
final class TemplateTypes {
    private TemplateTypes() {}
}
