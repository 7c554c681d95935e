package dev.sluice.health.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One pushed health report. */
@Entity
@Table(name = "health_report")
class HealthReportEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "plan_name", nullable = false)
    String planName;

    @Column(name = "source_key", nullable = false)
    String sourceKey;

    @Column(nullable = false)
    Instant at;

    @Column(name = "error_ratio")
    Double errorRatio;

    @Column(name = "latency_millis")
    Double latencyMillis;
}
