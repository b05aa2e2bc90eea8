package dev.redmesh.proxy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.link.MirrorProgress;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The proxies, as their xDS streams show them: who connected (node id, region, Envoy version), what
 * version was sent, acked, or rejected (a NACK, with Envoy's error). Kept in Postgres, so every control
 * plane lists every proxy whichever one it streams from.
 */
@Component
class ProxyRegistry implements DiscoveryServerCallbacks, MirrorProgress {

    private static final Logger log = LoggerFactory.getLogger(ProxyRegistry.class);
    private static final int NONCES_KEPT = 64;

    private final JdbcTemplate jdbc;
    private final XdsConfigs configs;
    private final ProxyProperties properties;
    private final Clock clock;
    private final String self = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    private final Map<Long, String> nodeOfStream = new ConcurrentHashMap<>();
    /** Which version each response nonce carried, so a NACK (which names the nonce) names the version. */
    private final Map<String, String> versionOfNonce = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > NONCES_KEPT;
        }
    });

    ProxyRegistry(JdbcTemplate jdbc, XdsConfigs configs, ProxyProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.configs = configs;
        this.properties = properties;
        this.clock = clock;
    }

    record ProxyRow(String id, String region, String envoyVersion, String controlPlane, boolean connected,
                    Instant firstSeen, Instant lastSeen, String versionSent, String versionAcked, String nackVersion,
                    String nackError, Instant nackedAt) {
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        Instant now = clock.instant();
        if (request.hasNode() && !request.getNode().getId().isEmpty()) {
            Node node = request.getNode();
            nodeOfStream.put(streamId, node.getId());
            jdbc.update("""
                    insert into proxy (id, region, envoy_version, control_plane, connected, first_seen, last_seen)
                    values (?, ?, ?, ?, true, ?, ?)
                    on conflict (id) do update set region = excluded.region, envoy_version = excluded.envoy_version,
                        control_plane = excluded.control_plane, connected = true, last_seen = excluded.last_seen""",
                    node.getId(), XdsServer.regionOf(node), envoyVersion(node), self, ts(now), ts(now));
        }
        String id = nodeOfStream.get(streamId);
        if (id == null) {
            return;
        }
        if (request.hasErrorDetail()) {
            String rejected = versionOfNonce.getOrDefault(request.getResponseNonce(), "unknown");
            log.warn("Proxy {} rejected configuration version {}: {}", id, rejected, request.getErrorDetail().getMessage());
            jdbc.update("update proxy set nack_version = ?, nack_type = ?, nack_error = ?, nacked_at = ?, last_seen = ? "
                    + "where id = ?", rejected, request.getTypeUrl(), request.getErrorDetail().getMessage(), ts(now), ts(now), id);
        } else if (!request.getVersionInfo().isEmpty()) {
            // an ACK, for the type that was rejected, of the newest version sent: the proxy runs it after all
            jdbc.update("""
                    update proxy set version_acked = ?, last_seen = ?
                    where id = ?""", request.getVersionInfo(), ts(now), id);
            jdbc.update("""
                    update proxy set nack_version = null, nack_type = null, nack_error = null, nacked_at = null
                    where id = ? and nack_type = ? and version_sent = ?""", id, request.getTypeUrl(), request.getVersionInfo());
        } else {
            jdbc.update("update proxy set last_seen = ? where id = ?", ts(now), id);
        }
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        versionOfNonce.put(response.getNonce(), response.getVersionInfo());
        String id = nodeOfStream.get(streamId);
        if (id != null) {
            jdbc.update("update proxy set version_sent = ?, last_seen = ? where id = ?", response.getVersionInfo(),
                    ts(clock.instant()), id);
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        // redmesh serves state-of-the-world ADS only; a delta stream gets nothing to record
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        closed(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        closed(streamId);
    }

    private void closed(long streamId) {
        String id = nodeOfStream.remove(streamId);
        if (id != null && !nodeOfStream.containsValue(id)) {
            jdbc.update("update proxy set connected = false, last_seen = ? where id = ?", ts(clock.instant()), id);
        }
    }

    List<ProxyRow> all() {
        return jdbc.query("select * from proxy order by region, id", (rs, i) -> new ProxyRow(rs.getString("id"),
                rs.getString("region"), rs.getString("envoy_version"), rs.getString("control_plane"),
                rs.getBoolean("connected"), instant(rs.getTimestamp("first_seen")), instant(rs.getTimestamp("last_seen")),
                rs.getString("version_sent"), rs.getString("version_acked"), rs.getString("nack_version"),
                rs.getString("nack_error"), instant(rs.getTimestamp("nacked_at"))));
    }

    /** Connected and heard from within {@code redmesh.proxy.stale-after}. */
    boolean live(ProxyRow proxy) {
        return proxy.connected() && proxy.lastSeen().isAfter(clock.instant().minus(properties.staleAfter()));
    }

    @Override
    public Optional<String> mirroredBy(String linkId) {
        for (EnvoyResources.RegionConfig config : configs.all()) {
            if (config.mirrors().stream().noneMatch(m -> m.linkId().equals(linkId))) {
                continue;
            }
            long running = all().stream().filter(p -> config.region().equals(p.region()) && live(p)
                    && config.version().equals(p.versionAcked())).count();
            return running == 0 ? Optional.empty()
                    : Optional.of(running + " prox" + (running == 1 ? "y" : "ies") + " of " + config.region());
        }
        return Optional.empty();
    }

    private static String envoyVersion(Node node) {
        if (node.hasUserAgentBuildVersion()) {
            var v = node.getUserAgentBuildVersion().getVersion();
            return v.getMajorNumber() + "." + v.getMinorNumber() + "." + v.getPatch();
        }
        return node.getUserAgentVersion().isEmpty() ? null : node.getUserAgentVersion();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
