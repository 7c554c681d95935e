package dev.sluice.plan.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** The current version of a stored plan. {@code version} is managed by {@link PlanStore}, not by JPA. */
@Entity
@Table(name = "plan")
class PlanEntity extends PanacheEntityBase {
    @Id
    String name;

    @Column(nullable = false)
    int version;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String spec;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
}
