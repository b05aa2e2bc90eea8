package dev.redmesh.security;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface DashboardSessionRepository extends JpaRepository<DashboardSession, byte[]> {

    @Modifying
    @Query("delete from DashboardSession s where s.expiresAt < :before")
    int deleteExpiredBefore(Instant before);
}
