package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Fleet;
import dev.redmesh.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 7, must-show 4: regions whose redis-servers take clients over TLS only as an ACL user with a
 * password (the default user cannot reach them that way). The control plane discovers the topology
 * (master and replica) and the links stream both ways, with Lettuce for polls and targets and the
 * replication stream for sources all over TLS, verifying the server's certificate and host name
 * against the test CA.
 */
@AppIT
class TlsRedisIT {

    private static final String USER = "redmesh";
    private static final String PASSWORD = "tls-acl-Secret-91";
    private static final int TLS_OFFSET = 10000;

    @Autowired
    Api api;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();


    /** A node listening with TLS on port + 10000, where the ACL user is the way in; the plain port stays for the harness. */
    private RedisNode tlsNode(String... extra) {
        RedisNode node = RedisNode.start(RedisBinary.locate(), port -> {
            List<String> config = new ArrayList<>(TestCertificates.redisConfig(port + TLS_OFFSET));
            config.add("user " + USER + " on >" + PASSWORD + " ~* &* +@all");
            config.addAll(List.of(extra));
            return config;
        });
        cleanup.add(node);
        return node;
    }

    private static String tlsAddress(RedisNode node) {
        return node.host() + ":" + (node.port() + TLS_OFFSET);
    }

    @Test
    void topologyAndSyncWorkOverTlsAsAnAclUser() {
        RedisNode master = tlsNode("repl-backlog-size 64mb");
        RedisNode replica = tlsNode("replicaof " + master.host() + " " + (master.port() + TLS_OFFSET));
        RedisNode other = tlsNode("repl-backlog-size 64mb");
        Eventually.await("the replica replicating over TLS", Duration.ofSeconds(30),
                () -> "up".equals(replica.info("replication").get("master_link_status")));

        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        String credentials = "\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\",\"tls\":true";
        assertThat(api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                + tlsAddress(master) + "\"]," + credentials + ",\"mesh\":\"m\"}").status()).isEqualTo(201);
        assertThat(api.put("/api/v1/clusters/c2", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                + tlsAddress(other) + "\"]," + credentials + ",\"mesh\":\"m\"}").status()).isEqualTo(201);

        List<String> expected = List.of(tlsAddress(master) + "=MASTER", tlsAddress(replica) + "=REPLICA");
        Eventually.await("the TLS topology discovered: master and replica at their TLS addresses", Duration.ofSeconds(30), () -> {
            JsonNode shards = api.get("/api/v1/clusters/c1").json().path("shards");
            List<String> roles = new ArrayList<>();
            shards.path(0).path("nodes").forEach(n -> roles.add(n.path("address").asString() + "=" + n.path("role").asString()));
            assertThat(shards.size()).isEqualTo(1);
            assertThat(roles).containsExactlyInAnyOrderElementsOf(expected);
            return true;
        });

        Eventually.await("links streaming over TLS", Duration.ofSeconds(60), () -> new Fleet(api, 0).allStreaming(2));
        master.call(c -> c.set("from-r1", "over-tls"));
        other.call(c -> c.incrby("from-r2", 7));
        Eventually.await("r1's write in r2", Duration.ofSeconds(10), () -> "over-tls".equals(other.call(c -> c.get("from-r1"))));
        Eventually.await("r2's write in r1", Duration.ofSeconds(10), () -> "7".equals(master.call(c -> c.get("from-r2"))));

        // every connection redmesh holds to the master came in on the TLS port, as the ACL user
        String clients = master.call(c -> c.clientList());
        List<String> redmesh = clients.lines().filter(l -> l.contains(" user=" + USER + " ")).toList();
        assertThat(redmesh).as("redmesh's connections (poller, source, target)").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(l -> l.contains("laddr=" + tlsAddress(master)));
        assertThat(redmesh).as("one of them is the replication stream").anyMatch(l -> l.contains("flags=S"));
    }
}
