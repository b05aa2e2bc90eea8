package dev.redmesh.region;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A geographic region (e.g. {@code eu-west-1}) holding one or more Redis deployments. */
@Entity
@Table(name = "region")
public class Region {

    @Id
    private String name;

    @Column(name = "display_name")
    private String displayName;

    private String cloud;

    /** JSON of {@link ProxySettings}, or null for the defaults. */
    @Column(name = "proxy_settings")
    private String proxySettings;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Region() {
    }

    Region(String name, Instant now) {
        this.name = name;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Returns whether anything changed. */
    boolean update(String displayName, String cloud, String proxySettings, Instant now) {
        boolean changed = !java.util.Objects.equals(this.displayName, displayName)
                || !java.util.Objects.equals(this.cloud, cloud)
                || !java.util.Objects.equals(this.proxySettings, proxySettings);
        this.displayName = displayName;
        this.cloud = cloud;
        this.proxySettings = proxySettings;
        if (changed) {
            this.updatedAt = now;
        }
        return changed;
    }

    public String getName() {
        return name;
    }

    public String getDisplayName() {
        return displayName;
    }

    public String getCloud() {
        return cloud;
    }

    /** The proxy settings as stored (JSON), or null. */
    public String getProxySettings() {
        return proxySettings;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
