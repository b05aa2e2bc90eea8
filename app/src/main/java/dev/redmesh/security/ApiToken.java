package dev.redmesh.security;

import dev.redmesh.identity.TokenScope;

import dev.redmesh.identity.Role;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An API token: its public id, name and role, and a SHA-256 of its secret part — never the secret itself. */
@Entity
@Table(name = "api_token")
class ApiToken {

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "secret_hash", nullable = false)
    private byte[] secretHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "worker_scope")
    private String workerScope;

    @Column(name = "proxy_region")
    private String proxyRegion;

    @Column(name = "proxy_node_scope")
    private String proxyNodeScope;

    protected ApiToken() {
    }

    ApiToken(String id, String name, Role role, byte[] secretHash, Instant createdAt, String createdBy, Instant expiresAt,
             TokenScope scope) {
        this(id, name, role, secretHash, createdAt, createdBy, expiresAt);
        this.workerScope = scope.worker();
        this.proxyRegion = scope.proxyRegion();
        this.proxyNodeScope = scope.proxyNode();
    }

    private ApiToken(String id, String name, Role role, byte[] secretHash, Instant createdAt, String createdBy, Instant expiresAt) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.secretHash = secretHash.clone();
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
    }

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    void usedAt(Instant now) {
        lastUsedAt = now;
    }

    String getId() {
        return id;
    }

    String getName() {
        return name;
    }

    Role getRole() {
        return role;
    }

    byte[] getSecretHash() {
        return secretHash.clone();
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    String getCreatedBy() {
        return createdBy;
    }

    Instant getExpiresAt() {
        return expiresAt;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    Instant getRevokedAt() {
        return revokedAt;
    }

    TokenScope getScope() {
        return new TokenScope(workerScope, proxyRegion, proxyNodeScope);
    }
}
