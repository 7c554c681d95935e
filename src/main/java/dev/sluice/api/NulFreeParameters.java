package dev.sluice.api;

import dev.sluice.domain.NulFreeText;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query or path parameter holding a NUL character ({@code %00}) before any resource sees
 * it, naming the parameter: otherwise it fails in PostgreSQL as a 500.
 */
public class NulFreeParameters {
    @ServerRequestFilter
    public void refuseNul(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters());
        check(request.getUriInfo().getQueryParameters());
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            boolean nulInName = NulFreeText.containsNul(parameter.getKey());
            if (nulInName || parameter.getValue().stream().anyMatch(NulFreeText::containsNul)) {
                String name = nulInName ? parameter.getKey().replace("\0", "\\u0000") : parameter.getKey();
                throw ProblemException.invalidParameter(name, NulFreeText.RULE, NulFreeText.MESSAGE);
            }
        }
    }
}
