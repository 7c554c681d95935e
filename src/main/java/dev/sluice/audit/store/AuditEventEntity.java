package dev.sluice.audit.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One audit event. Rows are inserted, never updated or deleted. */
@Entity
@Table(name = "audit_event")
class AuditEventEntity extends PanacheEntityBase {
    /** From the table's sequence before the insert: the id is part of the hashed content. */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_ids")
    @jakarta.persistence.SequenceGenerator(
            name = "audit_event_ids",
            sequenceName = "audit_event_id_seq",
            allocationSize = 1)
    Long id;

    @Column(nullable = false)
    Instant at;

    @Column(nullable = false)
    String actor;

    @Column(nullable = false)
    String action;

    @Column(name = "run_id")
    String runId;

    @Column(name = "plan_name")
    String planName;

    String subject;

    @Column(name = "from_state")
    String fromState;

    @Column(name = "to_state")
    String toState;

    @Column(nullable = false)
    String reason;

    String details;

    @Column(name = "prev_hash")
    String prevHash;

    String hash;
}
