package dev.sluice.access.http;

import dev.sluice.access.Scopes;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.domain.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** Client tokens reach only the plans and services in their scopes; other roles are not scoped. */
public final class ScopeCheck {
    private ScopeCheck() {}

    public static void require(SecurityIdentity caller, String plan, String service) {
        if (!allowed(caller, plan, service)) {
            throw forbidden(caller, plan + "/" + service);
        }
    }

    /** For calls about a whole plan (health reports): any service of it will do. */
    public static void requireForPlan(SecurityIdentity caller, String plan) {
        if (caller.hasRole(Role.OPERATOR_NAME)) {
            return;
        }
        Scopes scopes = caller.getAttribute(TokenIdentityProvider.SCOPES);
        boolean any =
                scopes != null && scopes.entries().stream().anyMatch(e -> e.equals("*") || e.startsWith(plan + "/"));
        if (!any) {
            throw forbidden(caller, plan);
        }
    }

    private static boolean allowed(SecurityIdentity caller, String plan, String service) {
        Scopes scopes = caller.getAttribute(TokenIdentityProvider.SCOPES);
        return scopes != null && scopes.allows(plan, service);
    }

    private static ScopeRefusal forbidden(SecurityIdentity caller, String what) {
        return new ScopeRefusal(caller.getPrincipal().getName(), what);
    }

    /**
     * A client token asked outside its scopes: a {@code FORBIDDEN} refusal that {@link
     * AccessDeniedResponses} audits like a role refusal.
     */
    static final class ScopeRefusal extends DomainException {
        private final String actor;

        ScopeRefusal(String actor, String what) {
            super(Fault.FORBIDDEN, "token " + actor + " has no scope for " + what);
            this.actor = actor;
        }

        String actor() {
            return actor;
        }
    }
}
