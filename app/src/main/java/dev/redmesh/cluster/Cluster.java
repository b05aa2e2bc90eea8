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

    /** AES-GCM ciphertext of the password ({@link ClusterSecrets}); the plain password is never stored. */
    @Column(name = "password_ciphertext")
    private String passwordCiphertext;

    private boolean tls;

    private String mesh;

    @Column(name = "elasticache_replication_group_id")
    private String elasticacheReplicationGroupId;

    @Column(name = "elasticache_aws_region")
    private String elasticacheAwsRegion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ClusterCapture capture = ClusterCapture.AUTO;

    /** What the topology poller last found: the masters refuse PSYNC (renamed away, as managed Redis does). */
    @Column(name = "psync_refused", nullable = false)
    private boolean psyncRefused;

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

    /**
     * @param sealedPassword the new password encrypted for this row, "" to clear it, or null to keep
     *                       what is stored (the API never returns it, so a client cannot send it back)
     */
    void apply(ClusterSpec spec, String sealedPassword, Instant now) {
        this.region = spec.region();
        this.mode = spec.mode();
        this.seeds = new ArrayList<>(spec.seeds());
        this.username = spec.username();
        if (sealedPassword != null) {
            this.passwordCiphertext = sealedPassword.isEmpty() ? null : sealedPassword;
        }
        this.tls = spec.tls();
        this.mesh = spec.mesh();
        this.elasticacheReplicationGroupId = spec.elasticacheReplicationGroupId();
        this.elasticacheAwsRegion = spec.elasticacheAwsRegion();
        this.capture = spec.capture();
        this.updatedAt = now;
    }

    public ClusterCapture getCapture() {
        return capture;
    }

    public boolean isPsyncRefused() {
        return psyncRefused;
    }

    /** Read by keyspace capture, as asked and as found: what its outgoing links run. */
    public boolean readsKeyspace() {
        return capture.readsKeyspace(mode, psyncRefused);
    }

    void psyncRefused(boolean refused) {
        this.psyncRefused = refused;
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

    /** The encrypted password; {@link ClusterSecrets#password} decrypts it for a connection. */
    String getPasswordCiphertext() {
        return passwordCiphertext;
    }

    public boolean hasPassword() {
        return passwordCiphertext != null;
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
