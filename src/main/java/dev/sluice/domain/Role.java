package dev.sluice.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a token may do. A role includes the roles listed with it, so an operator can also read and
 * an admin can do everything.
 */
public enum Role {
    /** Read plans, runs and the audit log. */
    VIEWER,
    /** Run actions and overrides, and push health reports. */
    OPERATOR,
    /** Annotate audit events. */
    REVIEWER,
    /** Ask for permits and leases, for the plans and services in the token's scopes. */
    CLIENT,
    /** Plans and tokens; and everything else. */
    ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String REVIEWER_NAME = "reviewer";
    public static final String CLIENT_NAME = "client";
    public static final String ADMIN_NAME = "admin";

    public String wireName() {
        return WireNames.of(this);
    }

    /** This role and every role it includes. */
    public Set<Role> included() {
        return switch (this) {
            case VIEWER -> EnumSet.of(VIEWER);
            case OPERATOR -> EnumSet.of(OPERATOR, VIEWER);
            case REVIEWER -> EnumSet.of(REVIEWER, VIEWER);
            case CLIENT -> EnumSet.of(CLIENT);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    public static Role of(String wireName) {
        for (Role r : values()) {
            if (r.wireName().equals(wireName)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + wireName + "\"");
    }
}
