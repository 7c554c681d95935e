package dev.sluice.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One audit event. Rows are inserted, never updated or deleted. */
@Entity
@Table(name = "audit_event")
class AuditEventEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
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

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String details;
}
