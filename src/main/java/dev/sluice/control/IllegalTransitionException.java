package dev.sluice.control;

/** An action or transition that the run's current status does not allow. */
public class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}
