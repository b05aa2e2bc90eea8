package dev.redmesh.link;

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

/** Writes of one cluster carried to another. The id is {@code <source>.<target>}: names never contain dots. */
@Entity
@Table(name = "replication_link")
public class ReplicationLink {

    @Id
    private String id;

    @Column(name = "source_cluster", nullable = false)
    private String source;

    @Column(name = "target_cluster", nullable = false)
    private String target;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private LinkMode mode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private LinkState state;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private LinkOrigin origin;

    private String mesh;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "include_patterns", nullable = false, columnDefinition = "text[]")
    private List<String> includePatterns = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "exclude_patterns", nullable = false, columnDefinition = "text[]")
    private List<String> excludePatterns = new ArrayList<>();

    @Column(name = "state_reason")
    private String stateReason;

    @Column(name = "state_changed_at", nullable = false)
    private Instant stateChangedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected ReplicationLink() {
    }

    ReplicationLink(String source, String target, LinkMode mode, LinkOrigin origin, String mesh,
                    List<String> includePatterns, List<String> excludePatterns, Instant now) {
        this.id = idOf(source, target);
        this.source = source;
        this.target = target;
        this.mode = mode;
        this.origin = origin;
        this.mesh = mesh;
        this.includePatterns = new ArrayList<>(includePatterns);
        this.excludePatterns = new ArrayList<>(excludePatterns);
        this.state = LinkState.PENDING;
        this.stateReason = "created";
        this.stateChangedAt = now;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public static String idOf(String source, String target) {
        return source + "." + target;
    }

    /** Moves to {@code next} if the state machine allows it; callers record the event. */
    void moveTo(LinkState next, String reason, Instant now) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("link " + id + " cannot move from " + state + " to " + next);
        }
        this.state = next;
        this.stateReason = reason;
        this.stateChangedAt = now;
        this.updatedAt = now;
    }

    public String getId() {
        return id;
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    public LinkMode getMode() {
        return mode;
    }

    /** How the link runs now: its source's capture decides between PSYNC and KEYSPACE. */
    void mode(LinkMode mode) {
        this.mode = mode;
    }

    public LinkState getState() {
        return state;
    }

    public LinkOrigin getOrigin() {
        return origin;
    }

    public String getMesh() {
        return mesh;
    }

    public List<String> getIncludePatterns() {
        return List.copyOf(includePatterns);
    }

    public List<String> getExcludePatterns() {
        return List.copyOf(excludePatterns);
    }

    public String getStateReason() {
        return stateReason;
    }

    public Instant getStateChangedAt() {
        return stateChangedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
