package dev.redmesh.security;

import dev.redmesh.identity.Role;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A dashboard sign-in, kept server-side: the SHA-256 of the cookie's value (never the value), the
 * token that opened it (a stored token's id, or the configured admin token's hash), and its end.
 */
@Entity
@Table(name = "dashboard_session")
class DashboardSession {

    @Id
    @Column(name = "id_hash")
    private byte[] idHash;

    @Column(name = "token_id")
    private String tokenId;

    @Column(name = "admin_token_hash")
    private byte[] adminTokenHash;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected DashboardSession() {
    }

    DashboardSession(byte[] idHash, String tokenId, byte[] adminTokenHash, String name, Role role, Instant createdAt,
                     Instant expiresAt) {
        this.idHash = idHash.clone();
        this.tokenId = tokenId;
        this.adminTokenHash = adminTokenHash == null ? null : adminTokenHash.clone();
        this.name = name;
        this.role = role;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean openAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    String getTokenId() {
        return tokenId;
    }

    byte[] getAdminTokenHash() {
        return adminTokenHash == null ? null : adminTokenHash.clone();
    }

    String getName() {
        return name;
    }

    Role getRole() {
        return role;
    }

    Instant getExpiresAt() {
        return expiresAt;
    }
}
