package dev.sluice.admission.grpc;

import dev.sluice.admission.http.AdmissionResource;
import dev.sluice.domain.DomainException;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What an Envoy rate-limit request asks of Sluice. The request's domain is {@value #DOMAIN}; each
 * descriptor names one service of a plan or of a run, with exactly these entries (in any order):
 *
 * <ul>
 *   <li>{@code plan} = the plan's name (its latest run, as {@code /api/v1/plans/{plan}/...}), or
 *       {@code run} = a run's id (as {@code /api/v1/runs/{run}/...}): exactly one of the two;
 *   <li>{@code service} = the service's name.
 * </ul>
 *
 * Any other entry key, a missing or repeated one, or an empty value is refused: a descriptor Sluice
 * would silently ignore is a route configuration that limits nothing. Permits asked: the
 * descriptor's own {@code hits_addend} when set, else the request's, where 0 means 1 (Envoy's rule).
 */
final class SluiceDescriptors {
    static final String DOMAIN = "sluice";
    static final String PLAN = "plan";
    static final String RUN = "run";
    static final String SERVICE = "service";

    private SluiceDescriptors() {}

    /**
     * One descriptor read.
     *
     * @param byPlan true for a {@code plan} entry, false for a {@code run} entry
     * @param target the plan's name or the run's id
     */
    record Ask(boolean byPlan, String target, String service, long permits) {}

    /** @throws DomainException an invalid field, named {@code /descriptors/i/entries/j/key} and so on */
    static List<Ask> read(RateLimitRequest request) {
        if (!DOMAIN.equals(request.getDomain())) {
            throw DomainException.invalidField(
                    "/domain", "sluice", "the domain must be \"" + DOMAIN + "\", not \"" + request.getDomain() + "\"");
        }
        if (request.getDescriptorsCount() == 0) {
            throw DomainException.invalidField(
                    "/descriptors", "required", "at least one descriptor: plan (or run) and service");
        }
        List<Ask> asks = new ArrayList<>(request.getDescriptorsCount());
        for (int i = 0; i < request.getDescriptorsCount(); i++) {
            asks.add(read(request.getDescriptors(i), i, Integer.toUnsignedLong(request.getHitsAddend())));
        }
        return asks;
    }

    private static Ask read(RateLimitDescriptor descriptor, int index, long requestHits) {
        String at = "/descriptors/" + index;
        String plan = null;
        String run = null;
        String service = null;
        for (int j = 0; j < descriptor.getEntriesCount(); j++) {
            RateLimitDescriptor.Entry entry = descriptor.getEntries(j);
            String entryAt = at + "/entries/" + j;
            if (entry.getValue().isEmpty()) {
                throw DomainException.invalidField(entryAt + "/value", "required", "an entry's value may not be empty");
            }
            switch (entry.getKey()) {
                case PLAN -> plan = once(plan, entry.getValue(), entryAt);
                case RUN -> run = once(run, entry.getValue(), entryAt);
                case SERVICE -> service = once(service, entry.getValue(), entryAt);
                default ->
                    throw DomainException.invalidField(
                            entryAt + "/key",
                            "sluice-entry",
                            "unknown entry \"" + entry.getKey() + "\": a Sluice descriptor has entries plan (or run)"
                                    + " and service, nothing else");
            }
        }
        if ((plan == null) == (run == null)) {
            throw DomainException.invalidField(
                    at + "/entries", "plan-or-run", "a descriptor names exactly one of plan and run");
        }
        if (service == null) {
            throw DomainException.invalidField(at + "/entries", "service", "a descriptor names a service");
        }
        long permits = descriptor.hasHitsAddend() ? descriptor.getHitsAddend().getValue() : requestHits;
        if (permits == 0) {
            permits = 1;
        }
        if (permits < 0 || permits > AdmissionResource.MAX_PERMITS_PER_REQUEST) {
            throw DomainException.invalidField(
                    descriptor.hasHitsAddend() ? at + "/hits_addend" : "/hits_addend",
                    "range",
                    "must be between 1 and " + AdmissionResource.MAX_PERMITS_PER_REQUEST);
        }
        return plan != null ? new Ask(true, plan, service, permits) : new Ask(false, run, service, permits);
    }

    private static String once(String seen, String value, String at) {
        if (seen != null) {
            throw DomainException.invalidField(at + "/key", "once", "an entry key may appear once per descriptor");
        }
        return value;
    }
}
