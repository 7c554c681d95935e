package dev.sluice.console.http;

import dev.sluice.notify.store.Deliveries;
import dev.sluice.notify.store.Subscriptions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's notifications page: who is subscribed to what, and the dead letters — events a
 * receiver never took before their deadline. Read-only: subscriptions are managed and dead letters
 * redelivered through {@code /api/v1/notifications} (admin), where every change is audited. A
 * subscription's URL is shown whole to admins only; others see its origin, as the API shows it.
 */
@Path("/console/notifications")
@PermitAll
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class ConsoleNotifications {
    static final int DEAD_LETTERS_SHOWN = 100;

    @Inject
    ConsoleAuth auth;

    @Inject
    Subscriptions subscriptions;

    @Inject
    Deliveries deliveries;

    @Inject
    @Location("console/notifications")
    Template page;

    @Operation(hidden = true)
    @GET
    public String show(@Context HttpHeaders headers) {
        ConsoleCaller c = auth.page(headers);
        return page.data("caller", c)
                .data(
                        "subscriptions",
                        subscriptions.list().stream()
                                .map(s -> c.mayEditPlans() ? s : s.redacted())
                                .toList())
                .data("deadLetters", deliveries.deadLetters(null, DEAD_LETTERS_SHOWN))
                .data("shown", DEAD_LETTERS_SHOWN)
                .render();
    }
}
