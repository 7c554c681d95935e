package dev.sluice.control.store;

import dev.sluice.control.RunState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A run as stored. {@code state} is the controller's {@link RunState} as JSON. */
@Entity
@Table(name = "run")
class RunEntity extends PanacheEntityBase {
    @Id
    String id;

    @Column(name = "plan_name", nullable = false)
    String planName;

    @Column(name = "plan_version", nullable = false)
    int planVersion;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String spec;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String state;

    @Column(nullable = false)
    String status;

    @Column(nullable = false)
    int stage;

    @Column(name = "idempotency_key")
    String idempotencyKey;

    @Column(name = "started_by", nullable = false)
    String startedBy;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "last_tick_at")
    Instant lastTickAt;

    /** Optimistic lock: a write based on an older read of the run fails instead of overwriting. */
    @Version
    @Column(name = "lock_version", nullable = false)
    int lockVersion;
}
