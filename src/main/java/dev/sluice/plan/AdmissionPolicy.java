package dev.sluice.plan;

/**
 * How admission is enforced for a plan's runs.
 *
 * @param leaseSeconds how long a rate lease lasts; clients refresh after half of it
 */
public record AdmissionPolicy(AdmissionMode mode, Long leaseSeconds) {}
