package dev.redmesh.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.MeshWorkload;
import dev.redmesh.testing.Problems;
import dev.redmesh.testing.Workload;

/**
 * Issue 22: verification of a mesh — every member against every other, in passes — and repair of
 * what differs, through the unit path that no link carries on.
 */
@AppIT
class VerificationIT {

    @Autowired
    Api api;

    @Autowired
    JdbcTemplate jdbc;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private RedisNode node(String... config) {
        return cleanup.add(RedisNode.start(RedisBinary.forVersion("7"), config));
    }

    private RedisCommands<String, String> commands(RedisNode node) {
        return cleanup.add(RedisClient.create(node.uri())).connect().sync();
    }

    private void join(String region, String cluster, RedisNode node, String mesh) {
        assertThat(api.put("/api/v1/regions/" + region, "{}").status()).isIn(200, 201);
        assertThat(api.put("/api/v1/clusters/" + cluster, "{\"region\":\"" + region + "\",\"mode\":\"STANDALONE\","
                + "\"seeds\":[\"" + node.address() + "\"],\"mesh\":\"" + mesh + "\"}").status()).isIn(200, 201);
    }

    private void awaitStreaming(String mesh, int links) {
        Eventually.await("the links of " + mesh + " streaming", Duration.ofSeconds(60), () -> {
            JsonNode all = api.get("/api/v1/links").json();
            int streaming = 0;
            for (JsonNode link : all) {
                if (mesh.equals(link.path("mesh").asString()) && "STREAMING".equals(link.path("state").asString())) {
                    streaming++;
                }
            }
            return streaming == links;
        });
    }

    private JsonNode verify(String mesh, String body) {
        Api.Response started = api.post("/api/v1/meshes/" + mesh + "/verifications", body);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = started.json().path("id").asString();
        assertThat(started.json().path("state").asString()).isEqualTo("RUNNING");
        return awaitEnd(id);
    }

    private JsonNode awaitEnd(String id) {
        JsonNode[] last = new JsonNode[1];
        Eventually.await("verification " + id + " ended", Duration.ofSeconds(90), () -> {
            last[0] = api.get("/api/v1/verifications/" + id).json();
            return !"RUNNING".equals(last[0].path("state").asString());
        });
        return last[0];
    }

    @Test
    void aMeshWithRegionDisjointWritesUnderLoadVerifiesCleanWhateverTheEncodings() throws Exception {
        RedisNode a = node();
        RedisNode b = node();
        // c keeps every collection in its large encoding: the same values, other bytes in a DUMP
        RedisNode c = node("hash-max-listpack-entries 0", "zset-max-listpack-entries 0", "set-max-intset-entries 0",
                "list-max-listpack-size 1");
        RedisCommands<String, String> ra = commands(a);
        Workload.preload(ra, "pre:", 300);
        join("v1-a", "v1-a", a, "v1");
        join("v1-b", "v1-b", b, "v1");
        join("v1-c", "v1-c", c, "v1");
        awaitStreaming("v1", 6);
        RedisCommands<String, String> rc = commands(c);
        Eventually.await("the preload reached c", Duration.ofSeconds(30), () -> rc.exists("pre:stream") == 1);
        assertThat(ra.objectEncoding("pre:hash:small")).isEqualTo("listpack");
        assertThat(rc.objectEncoding("pre:hash:small")).as("another encoding in c").isEqualTo("hashtable");
        assertThat(ra.objectEncoding("pre:set:ints")).isEqualTo("intset");
        assertThat(rc.objectEncoding("pre:set:ints")).isEqualTo("hashtable");

        List<MeshWorkload> load = new ArrayList<>();
        for (RedisNode n : List.of(a, b, c)) {
            load.add(new MeshWorkload("w" + n.port() + ":", () -> commands(n), 100));
        }
        try {
            Thread.sleep(2_000);
            JsonNode done = verify("v1", "{\"passes\":3,\"intervalMs\":1500}");
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
            assertThat(done.path("divergentKeys").asLong()).as(done.toString()).isZero();
            assertThat(done.path("progress").path("keysChecked").asLong()).isGreaterThan(3 * 300);
            assertThat(done.path("passes").path(0).path("pass").asInt()).isEqualTo(1);
        } finally {
            for (MeshWorkload w : load) {
                w.close();
            }
        }
        JsonNode events = api.get("/api/v1/events?type=VERIFICATION&subject=v1").json();
        assertThat(events.toString()).contains("0 divergent keys");
        assertThat(api.get("/actuator/prometheus").body()).contains("redmesh_mesh_divergent_keys{mesh=\"v1\"} 0.0");
    }

    @Test
    void conflictingWritesAreFoundRepairedByRegionOrderAndTheRepairIsNotEchoed() throws Exception {
        RedisNode a = node();
        RedisNode b = node();
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        join("v2-a", "v2-a", a, "v2");
        join("v2-b", "v2-b", b, "v2");
        awaitStreaming("v2", 2);

        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (RedisNode n : List.of(a, b)) {
            Thread t = new Thread(() -> {
                RedisCommands<String, String> r = commands(n);
                String me = "r" + n.port();
                for (int i = 0; writing.get(); i++) {
                    int k = i % 100;
                    switch (k % 6) {
                        case 0 -> r.set("c:str:" + k, me + i);
                        case 1 -> r.hset("c:hash:" + k, "f" + (i % 3), me + i);
                        case 2 -> r.rpush("c:list:" + k, me + i);
                        case 3 -> r.sadd("c:set:" + k, me + i);
                        case 4 -> r.zadd("c:zset:" + k, i, me);
                        default -> r.psetex("c:ttl:" + k, 600_000 + (i % 7) * 10_000L, me);
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        Thread.sleep(3_000);
        writing.set(false);
        for (Thread t : writers) {
            t.join();
        }
        Thread.sleep(2_000); // both links caught up: what differs now stays different
        Set<String> differing = differingKeys(ra, rb);
        assertThat(differing).as("concurrent writes of the same keys left the regions apart").isNotEmpty();

        JsonNode done = verify("v2", "{\"passes\":2,\"intervalMs\":500}");
        assertThat(done.path("state").asString()).isEqualTo("DONE");
        assertThat(done.path("divergentKeys").asLong()).as("exactly the keys that differ: %s", differing)
                .isEqualTo(differing.size());
        Set<String> sampled = new TreeSet<>();
        done.path("samples").forEach(s -> sampled.add(s.path("key").asString()));
        assertThat(differing).containsAll(sampled);
        assertThat(done.path("samples").path(0).path("regions").has("v2-a")).isTrue();

        Map<String, Long> before = calls(a);
        Api.Response repaired = api.post("/api/v1/verifications/" + done.path("id").asString() + "/repair",
                "{\"policy\":\"REGION_ORDER\",\"order\":[\"v2-a\",\"v2-b\"]}");
        assertThat(repaired.status()).as(repaired.toString()).isEqualTo(200);
        JsonNode repair = repaired.json().path("repair");
        assertThat(repair.path("keysRepaired").asLong()).isEqualTo(differing.size());
        assertThat(repair.path("failed").asLong()).isZero();
        assertThat(repair.path("stillDivergent").asLong()).isZero();
        assertThat(DatasetComparison.differences(List.of(ra), List.of(rb))).as("an independent compare").isEmpty();
        Thread.sleep(1_000);
        Map<String, Long> after = calls(a); // one INFO: the counts of one instant
        assertThat(after.get("restore")).as("the winner region received nothing back").isEqualTo(before.get("restore"));
        // the link b → a keeps its resume point in a (a script that SETs one internal key): nothing else was written
        long bookkeeping = after.get("eval") - before.get("eval");
        assertThat(after.get("set") - before.get("set")).as("SETs on a: only the link's resume points").isEqualTo(bookkeeping);
        for (String command : DATA_WRITES) {
            if (!command.equals("set")) {
                assertThat(after.get(command)).as("%s on the winner", command).isEqualTo(before.get(command));
            }
        }
        assertThat(ra.keys("__redmesh:ckpt:*repair*")).as("the repair's checkpoints are removed").isEmpty();
        assertThat(rb.keys("__redmesh:ckpt:*repair*")).isEmpty();

        assertThat(verify("v2", "{\"passes\":1}").path("divergentKeys").asLong()).isZero();
        JsonNode audit = api.get("/api/v1/audit?resourceType=verification").json();
        assertThat(audit.toString()).contains("keysRepaired");
    }

    private static final List<String> DATA_WRITES = List.of("restore", "set", "hset", "rpush", "sadd", "zadd", "del",
            "psetex", "pexpireat", "append", "expire", "pexpire");

    /** Calls of every command that writes a key's data, and of EVAL, from one {@code INFO commandstats}. */
    private static Map<String, Long> calls(RedisNode node) {
        Map<String, String> stats = node.info("commandstats");
        Map<String, Long> calls = new HashMap<>();
        List<String> commands = new ArrayList<>(DATA_WRITES);
        commands.add("eval");
        for (String command : commands) {
            String line = stats.get("cmdstat_" + command);
            calls.put(command, line == null ? 0 : Long.parseLong(line.split("[=,]")[1]));
        }
        return calls;
    }

    /** Pauses links and waits until their workers have stopped: nothing written after this travels. */
    private void pause(String... links) {
        for (String link : links) {
            assertThat(api.post("/api/v1/links/" + link + "/pause", "").status()).isEqualTo(200);
        }
        Eventually.await("links paused", Duration.ofSeconds(20), () -> java.util.Arrays.stream(links)
                .allMatch(l -> "PAUSED".equals(api.get("/api/v1/links/" + l).json().path("state").asString())));
        sleep(3_000); // their workers have stopped
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The keys an independent, plain-command compare finds different. */
    private static Set<String> differingKeys(RedisCommands<String, String> a, RedisCommands<String, String> b) {
        Set<String> keys = new TreeSet<>();
        for (String d : DatasetComparison.differences(List.of(a), List.of(b))) {
            String rest = d.substring(d.indexOf(':') + 2);
            int end = rest.indexOf(d.startsWith("expiry") ? " source" : "\n");
            keys.add(end < 0 ? rest : rest.substring(0, end));
        }
        return keys;
    }

    @Test
    void eachKindOfDifferenceIsReportedAsSuch() {
        RedisNode a = node();
        RedisNode b = node();
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        ra.set("k:value", "same");
        ra.set("k:ttl", "same");
        ra.set("k:type", "a string");
        ra.set("k:deleted", "soon");
        ra.hset("k:equal", Map.of("f", "v"));
        join("v3-a", "v3-a", a, "v3");
        join("v3-b", "v3-b", b, "v3");
        awaitStreaming("v3", 2);
        Eventually.await("the copy arrived", Duration.ofSeconds(20), () -> rb.exists("k:deleted") == 1);

        // both links paused while each region writes: nothing of it travels
        pause("v3-a.v3-b", "v3-b.v3-a"); // their workers have stopped
        ra.set("k:missing-in-b", "x");
        ra.pexpire("k:ttl", 600_000);
        ra.del("k:deleted");
        ra.set("k:value", "from a");
        rb.set("k:value", "from b");
        rb.del("k:type");
        rb.rpush("k:type", "a list");
        rb.set("k:only-b", "y");

        JsonNode done = verify("v3", "{\"passes\":2,\"intervalMs\":200}");
        Map<String, String> kinds = new HashMap<>();
        done.path("samples").forEach(s -> kinds.put(s.path("key").asString(), s.path("kind").asString()));
        assertThat(kinds).as(done.toString()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "k:missing-in-b", "MISSING", "k:deleted", "MISSING", "k:only-b", "MISSING",
                "k:ttl", "TTL", "k:value", "VALUE", "k:type", "TYPE"));
        assertThat(done.path("kinds").path("MISSING").asLong()).isEqualTo(3);
        JsonNode typeSample = null;
        for (JsonNode s : done.path("samples")) {
            if (s.path("key").asString().equals("k:type")) {
                typeSample = s;
            }
        }
        assertThat(typeSample.path("regions").path("v3-a").path("type").asString()).isEqualTo("string");
        assertThat(typeSample.path("regions").path("v3-b").path("type").asString()).isEqualTo("list");
    }

    @Test
    void aScheduleVerifiesTheMeshAndRepairsByItsPolicy() {
        RedisNode a = node();
        RedisNode b = node();
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        join("v5-a", "v5-a", a, "v5");
        join("v5-b", "v5-b", b, "v5");
        awaitStreaming("v5", 2);
        pause("v5-a.v5-b", "v5-b.v5-a");
        for (int i = 0; i < 20; i++) {
            ra.set("s:" + i, "a");
            rb.set("s:" + i, "b");
        }

        Problems.assertFieldError(api.put("/api/v1/meshes/v5", "{\"verify\":{\"every\":\"10s\"}}"), "verify.every");
        Problems.assertFieldError(api.put("/api/v1/meshes/v5", "{\"verify\":{\"every\":\"1h\",\"repair\":true}}"),
                "verify.policy");
        Api.Response set = api.put("/api/v1/meshes/v5", """
                {"verify":{"every":"1h","passes":2,"repair":true,"policy":{"policy":"REGION_ORDER","order":["v5-b","v5-a"]}}}""");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/meshes/v5").json().path("verify").path("everySeconds").asLong()).isEqualTo(3600);

        Eventually.await("the schedule verified and repaired", Duration.ofSeconds(60), () -> {
            JsonNode list = api.get("/api/v1/meshes/v5/verifications").json();
            return list.size() == 1 && "schedule".equals(list.path(0).path("repair").path("by").asString());
        });
        JsonNode run = api.get("/api/v1/meshes/v5/verifications").json().path(0);
        assertThat(run.path("requestedBy").asString()).isEqualTo("schedule");
        assertThat(run.path("divergentKeys").asLong()).isEqualTo(20);
        assertThat(run.path("repair").path("stillDivergent").asLong()).isZero();
        assertThat(ra.get("s:7")).as("REGION_ORDER put v5-b first").isEqualTo("b");
        sleep(12_000); // the schedule's next run is an hour away: nothing else starts
        assertThat(api.get("/api/v1/meshes/v5/verifications").json().size()).isEqualTo(1);
        assertThat(api.put("/api/v1/meshes/v5", "{\"verify\":null}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/meshes/v5").json().path("verify").isNull()).isTrue();
    }

    /**
     * A Redis Cluster region read by PSYNC and a managed region read by keyspace capture: verified
     * clean under load (every shard's master scanned, reads routed by slot), then a conflict made
     * while the links are paused is repaired into both kinds of region without echo.
     */
    @Test
    void aRedisClusterRegionAndAKeyspaceRegionAreVerifiedAndRepaired() throws Exception {
        dev.redmesh.localredis.LocalRedisCluster cluster = cleanup.add(dev.redmesh.localredis.LocalRedisCluster.builder()
                .binary(RedisBinary.forVersion("7")).masters(3).replicasPerMaster(0).start());
        RedisNode k = node("rename-command SYNC \"\"", "rename-command PSYNC \"\"", "notify-keyspace-events KA");
        assertThat(api.put("/api/v1/regions/v6-c", "{}").status()).isIn(200, 201);
        assertThat(api.put("/api/v1/clusters/v6-c", "{\"region\":\"v6-c\",\"mode\":\"CLUSTER\",\"seeds\":[\""
                + cluster.seeds().get(0) + "\"],\"mesh\":\"v6\"}").status()).isIn(200, 201);
        join("v6-k", "v6-k", k, "v6");
        Eventually.await("the managed region is read by keyspace capture", Duration.ofSeconds(30),
                () -> "KEYSPACE".equals(api.get("/api/v1/links/v6-k.v6-c").json().path("mode").asString()));
        Eventually.await("every link streaming", Duration.ofSeconds(60), () -> {
            for (String id : List.of("v6-c.v6-k", "v6-k.v6-c")) {
                if (!"STREAMING".equals(api.get("/api/v1/links/" + id).json().path("state").asString())) {
                    return false;
                }
            }
            return true;
        });
        io.lettuce.core.cluster.RedisClusterClient clusterClient = io.lettuce.core.cluster.RedisClusterClient.create(cluster.uris());
        cleanup.add(clusterClient::shutdown);
        MeshWorkload wc = new MeshWorkload("wc:", () -> clusterClient.connect().sync(), 50);
        MeshWorkload wk = new MeshWorkload("wk:", () -> commands(k), 50);
        try {
            Thread.sleep(2_000);
            JsonNode clean = verify("v6", "{\"passes\":3,\"intervalMs\":1500}");
            assertThat(clean.path("divergentKeys").asLong()).as(clean.toString()).isZero();
            assertThat(clean.path("progress").path("keysChecked").asLong()).isPositive();
        } finally {
            wc.close();
            wk.close();
        }

        // the keys travel k → c; then c changes them behind redmesh's back (a script that replicates
        // nothing), so the regions differ and stay different
        var rc = clusterClient.connect().sync();
        RedisCommands<String, String> rk = commands(k);
        for (int i = 0; i < 40; i++) {
            rk.set((i % 2 == 0 ? "x:" : "y:") + i, "managed");
        }
        Eventually.await("the keys reached the cluster", Duration.ofSeconds(20), () -> "managed".equals(rc.get("y:39")));
        for (int i = 0; i < 40; i++) {
            rc.eval("redis.set_repl(redis.REPL_NONE); return redis.call('SET', KEYS[1], ARGV[1])",
                    io.lettuce.core.ScriptOutputType.STATUS, new String[] {(i % 2 == 0 ? "x:" : "y:") + i}, "hidden");
        }
        sleep(2_000);
        assertThat(rk.get("y:39")).as("the hidden write did not travel").isEqualTo("managed");
        long restoresInCluster = cluster.masters().stream().mapToLong(m -> calls(m).get("restore")).sum();
        long restoresInManaged = calls(k).get("restore");
        JsonNode found = verify("v6", "{\"passes\":2,\"intervalMs\":500}");
        long divergent = found.path("divergentKeys").asLong();
        assertThat(divergent).as(found.toString()).isEqualTo(40);
        assertThat(found.path("kinds").path("VALUE").asLong()).isEqualTo(40);
        // x:* belongs to the managed region (written into the cluster), y:* to the cluster (written into the managed one)
        Api.Response repaired = api.post("/api/v1/verifications/" + found.path("id").asString() + "/repair",
                "{\"policy\":\"OWNER\",\"owners\":[{\"pattern\":\"x:*\",\"region\":\"v6-k\"},"
                        + "{\"pattern\":\"y:*\",\"region\":\"v6-c\"}]}");
        assertThat(repaired.status()).as(repaired.toString()).isEqualTo(200);
        assertThat(repaired.json().path("repair").path("keysRepaired").asLong()).isEqualTo(divergent);
        assertThat(repaired.json().path("repair").path("stillDivergent").asLong()).isZero();
        sleep(3_000); // an echo would have had time to come back
        for (int i = 0; i < 40; i++) {
            String key = (i % 2 == 0 ? "x:" : "y:") + i;
            assertThat(rc.get(key)).as("%s in both regions", key).isEqualTo(rk.get(key)).isEqualTo(i % 2 == 0 ? "managed" : "hidden");
        }
        // each repaired key was written once into the region that lost it, and nothing came back
        assertThat(cluster.masters().stream().mapToLong(m -> calls(m).get("restore")).sum() - restoresInCluster)
                .as("RESTOREs in the cluster: the x keys").isEqualTo(20);
        assertThat(calls(k).get("restore") - restoresInManaged).as("RESTOREs in the managed region: the y keys").isEqualTo(20);
        assertThat(verify("v6", "{\"passes\":2,\"intervalMs\":500}").path("divergentKeys").asLong())
                .as("no echo undid the repair").isZero();
    }

    @Test
    void badRequestsChangeNothingAndAVerificationWhoseControlPlaneDiedEndsFailed() {
        RedisNode a = node();
        RedisNode b = node();
        Problems.assertProblem(api.post("/api/v1/meshes/nope/verifications", "{}"), 404, "not-found");
        join("v4-a", "v4-a", a, "v4");
        Problems.assertProblem(api.post("/api/v1/meshes/v4/verifications", "{}"), 409, "conflict");
        join("v4-b", "v4-b", b, "v4");
        awaitStreaming("v4", 2);
        Problems.assertFieldError(api.post("/api/v1/meshes/v4/verifications", "{\"passes\":0}"), "passes");
        Problems.assertFieldError(api.post("/api/v1/meshes/v4/verifications", "{\"keysPerSecond\":5}"), "keysPerSecond");
        assertThat(api.get("/api/v1/meshes/v4/verifications").json().size()).as("nothing started").isZero();
        Problems.assertProblem(api.get("/api/v1/verifications/no-such"), 404, "not-found");

        JsonNode done = verify("v4", "{}");
        String id = done.path("id").asString();
        Problems.assertFieldError(api.post("/api/v1/verifications/" + id + "/repair",
                "{\"policy\":\"REGION_ORDER\",\"order\":[\"v4-a\"]}"), "order");
        Problems.assertFieldError(api.post("/api/v1/verifications/" + id + "/repair", "{\"policy\":\"NEWEST\"}"), "policy");
        assertThat(api.get("/api/v1/verifications/" + id).json().path("repair").isNull()).isTrue();

        // a cancelled one ends CANCELLED; one left RUNNING by a control plane that died ends FAILED with a reason
        RedisCommands<String, String> ra = commands(a);
        for (int i = 0; i < 3_000; i++) {
            ra.set("slow:" + i, "v");
        }
        Api.Response slow = api.post("/api/v1/meshes/v4/verifications", "{\"keysPerSecond\":100}");
        assertThat(slow.status()).isEqualTo(202);
        Problems.assertProblem(api.post("/api/v1/meshes/v4/verifications", "{}"), 409, "conflict");
        JsonNode cancelled = api.delete("/api/v1/verifications/" + slow.json().path("id").asString()).json();
        assertThat(cancelled.path("state").asString()).isEqualTo("CANCELLED");

        jdbc.update("""
                insert into verification (id, mesh, state, passes, match_pattern, keys_per_second, interval_ms,
                    ttl_tolerance_ms, owner, requested_by, created_at, updated_at)
                values ('orphan', 'v4', 'RUNNING', 3, '*', 1000, 1000, 1000, 'gone@host', 'test', now() - interval '5 minutes',
                    now() - interval '5 minutes')""");
        Eventually.await("the orphan is failed, with a reason", Duration.ofSeconds(30), () -> {
            JsonNode orphan = api.get("/api/v1/verifications/orphan").json();
            return "FAILED".equals(orphan.path("state").asString())
                    && orphan.path("reason").asString().contains("control plane stopped");
        });
    }
}
