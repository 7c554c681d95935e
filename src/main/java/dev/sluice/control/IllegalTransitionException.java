package dev.sluice.control;

import dev.sluice.domain.DomainException;

/** An action or transition that the run's current status does not allow. */
public class IllegalTransitionException extends DomainException {
    public IllegalTransitionException(String message) {
        super(Fault.ILLEGAL_TRANSITION, message);
    }
}
