package dev.sluice.access;

import java.util.List;

/**
 * The plans and services a client token may ask admission for: entries {@code plan/service},
 * {@code plan/*} or {@code *}. Pure.
 */
public record Scopes(List<String> entries) {
    public static final Scopes ANY = new Scopes(List.of("*"));

    public boolean allows(String plan, String service) {
        for (String e : entries) {
            if (e.equals("*") || e.equals(plan + "/*") || e.equals(plan + "/" + service)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an entry is well formed: {@code *}, {@code plan/*} or {@code plan/service} (DNS labels). */
    public static boolean valid(String entry) {
        return entry.equals("*") || entry.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)");
    }
}
