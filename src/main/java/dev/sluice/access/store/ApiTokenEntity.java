package dev.sluice.access.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API token. Only a hash of its secret is stored; the secret is shown once, at creation. */
@Entity
@Table(name = "api_token")
class ApiTokenEntity extends PanacheEntityBase {
    @Id
    String id;

    @Column(nullable = false, unique = true)
    String name;

    /** SHA-256 of the secret part, hex. The secret has 256 random bits, so a fast hash suffices. */
    @Column(name = "secret_hash", nullable = false)
    String secretHash;

    /** Comma-separated role names. */
    @Column(nullable = false)
    String roles;

    /** Comma-separated {@code plan/service} scopes for clients ({@code *} for any); may be empty. */
    @Column(nullable = false)
    String scopes;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
