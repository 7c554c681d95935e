package dev.sluice.console.http;

/** A console request refused before it reached a command: not signed in, a bad CSRF token, a role missing. */
class ConsoleRefusal extends RuntimeException {
    final int status;
    final String hint;

    ConsoleRefusal(int status, String message, String hint) {
        super(message);
        this.status = status;
        this.hint = hint;
    }
}
