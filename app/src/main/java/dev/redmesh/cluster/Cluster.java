package dev.redmesh.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A Redis deployment in one region, optionally a member of a mesh. Its topology is discovered, never typed in. */
@Entity
@Table(name = "cluster")
public class Cluster {

    @Id
    private String name;

    @Column(name = "region_name", nullable = false)
    private String region;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ClusterMode mode;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    private List<String> seeds = new ArrayList<>();

    private String username;

    private String password;

    private boolean tls;

    private String mesh;

    @Column(name = "elasticache_replication_group_id")
    private String elasticacheReplicationGroupId;

    @Column(name = "elasticache_aws_region")
    private String elasticacheAwsRegion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Cluster() {
    }

    Cluster(String name, Instant now) {
        this.name = name;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void apply(ClusterSpec spec, Instant now) {
        this.region = spec.region();
        this.mode = spec.mode();
        this.seeds = new ArrayList<>(spec.seeds());
        this.username = spec.username();
        if (spec.password() != null) {
            // an empty password clears it; an absent one keeps what was stored, since the API never returns it
            this.password = spec.password().isEmpty() ? null : spec.password();
        }
        this.tls = spec.tls();
        this.mesh = spec.mesh();
        this.elasticacheReplicationGroupId = spec.elasticacheReplicationGroupId();
        this.elasticacheAwsRegion = spec.elasticacheAwsRegion();
        this.updatedAt = now;
    }

    public String getName() {
        return name;
    }

    public String getRegion() {
        return region;
    }

    public ClusterMode getMode() {
        return mode;
    }

    public List<String> getSeeds() {
        return List.copyOf(seeds);
    }

    public String getUsername() {
        return username;
    }

    /** The credential for Redis connections; never part of an API response. */
    public String getPassword() {
        return password;
    }

    public boolean hasPassword() {
        return password != null;
    }

    public boolean isTls() {
        return tls;
    }

    public String getMesh() {
        return mesh;
    }

    public String getElasticacheReplicationGroupId() {
        return elasticacheReplicationGroupId;
    }

    public String getElasticacheAwsRegion() {
        return elasticacheAwsRegion;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
