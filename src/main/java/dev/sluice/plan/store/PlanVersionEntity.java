package dev.sluice.plan.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One version of a plan, kept after later updates. Never modified once written. */
@Entity
@Table(name = "plan_version")
class PlanVersionEntity extends PanacheEntityBase {
    @Embeddable
    record Key(
            @Column(name = "plan_name") String planName,
            @Column(name = "version") int version) implements Serializable {}

    @EmbeddedId
    Key key;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String spec;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
