package dev.sluice.k8s.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What Sluice did for one Kubernetes object (see V7__kubernetes_objects.sql). */
@Entity
@Table(name = "k8s_object")
class KubernetesObjectEntity extends PanacheEntityBase {
    @Id
    String uid;

    @Column(nullable = false)
    String kind;

    @Column(nullable = false)
    String namespace;

    @Column(nullable = false)
    String name;

    @Column(name = "plan_name")
    String planName;

    @Column(name = "run_id")
    String runId;

    @Column(nullable = false)
    String outcome;

    String message;

    String actor;

    @Column(name = "recorded_at", nullable = false)
    Instant recordedAt;
}
