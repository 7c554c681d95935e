package dev.sluice.cli;

/**
 * The command line's exit codes, one per kind of outcome, so that a script can tell "the plan is
 * invalid" from "Sluice is down" from "the token lacks the role". Listed in docs/cli.md.
 */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** The answer is no: an invalid plan, a broken audit chain, a watched run that ended aborted. */
    static final int NO = 1;
    /** Bad arguments or local set-up: an unknown option, an unreadable file, a config others can read. */
    static final int USAGE = 2;
    /** Sluice could not be reached. */
    static final int UNREACHABLE = 3;
    /** 401: no token, or one Sluice does not accept. */
    static final int UNAUTHENTICATED = 4;
    /** 403: the token lacks the role (or scope). */
    static final int FORBIDDEN = 5;
    /** 404: no such plan, run, version, token or service. */
    static final int NOT_FOUND = 6;
    /** 409, 412, 428: illegal in the current state, or a concurrent change. */
    static final int CONFLICT = 7;
    /** Any other 4xx: the request was refused (invalid field, rate limited, too large). */
    static final int REFUSED = 8;
    /** 5xx, or an answer that is not what Sluice's API sends. */
    static final int SERVER = 9;

    private ExitCodes() {}

    static int ofStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409, 412, 428 -> CONFLICT;
            default -> status >= 500 ? SERVER : REFUSED;
        };
    }
}
