package dev.sluice.cli;

/**
 * Why a command could not do what it was asked, in words for the operator, and the exit code that
 * says so to a script. Printed as one message, never as a stack trace.
 */
final class CliFailure extends RuntimeException {
    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
