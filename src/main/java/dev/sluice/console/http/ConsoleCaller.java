package dev.sluice.console.http;

import dev.sluice.access.store.TokenStore;
import dev.sluice.domain.Role;

/** Who is signed in to a console session, as the token store verified it on this request. */
public record ConsoleCaller(ConsoleSessions.Session session, TokenStore.Caller token) {
    public String name() {
        return token.name();
    }

    public boolean mayAct() {
        return token.roles().contains(Role.OPERATOR);
    }

    /** Reviewers (and admins) annotate audit events. */
    public boolean mayAnnotate() {
        return token.roles().contains(Role.REVIEWER);
    }

    public boolean mayEditPlans() {
        return token.roles().contains(Role.ADMIN);
    }

    public String roles() {
        return String.join(
                ", ", token.roles().stream().map(Role::wireName).sorted().toList());
    }
}
