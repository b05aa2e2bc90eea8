package dev.redmesh.security;

import dev.redmesh.identity.Role;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface ApiTokenRepository extends JpaRepository<ApiToken, String> {

    List<ApiToken> findAllByOrderByCreatedAtAsc();

    boolean existsByName(String name);

    boolean existsByRoleAndRevokedAtIsNull(Role role);
}
