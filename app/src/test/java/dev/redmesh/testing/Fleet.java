package dev.redmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Worker processes of the real jar for fleet tests, and what the API says of the fleet. Integration
 * tests run after {@code package}, so {@code target/redmesh.jar} is there.
 */
public final class Fleet implements AutoCloseable {

    private final Api api;
    private final int controlPlanePort;
    private final Map<String, Process> workers = new LinkedHashMap<>();
    /** Worker id → the WORKER token issued for it alone, as an operator would issue it. */
    private final Map<String, String> tokens = new HashMap<>();

    public Fleet(Api api, int controlPlanePort) {
        this.api = api;
        this.controlPlanePort = controlPlanePort;
    }

    /** Starts a worker-only process with the given id; extra {@code --name=value} arguments follow. */
    public void startWorker(String id, String... extraArgs) throws IOException {
        Path jar = Path.of("target", "redmesh.jar");
        assertThat(jar).as("the packaged jar (integration tests run after package)").exists();
        Path log = Path.of("target", "fleet-worker-" + id + ".log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dio.lettuce.core.jfr=false", "-jar", jar.toString(),
                "--redmesh.roles=worker", "--server.port=0",
                "--redmesh.worker.fleet.control-plane=http://127.0.0.1:" + controlPlanePort,
                "--redmesh.worker.fleet.id=" + id, "--redmesh.worker.fleet.token=" + workerToken(id)));
        command.addAll(List.of(extraArgs));
        workers.put(id, new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }

    /** The WORKER token worker {@code id} presents, issued for that id alone through the API the first time it is needed. */
    public synchronized String workerToken(String id) {
        return tokens.computeIfAbsent(id, worker -> {
            Api.Response created = api.post("/api/v1/tokens", "{\"name\":\"fleet-worker-" + worker + "-" + System.nanoTime()
                    + "\",\"role\":\"WORKER\",\"worker\":\"" + worker + "\"}");
            assertThat(created.status()).as("worker token created: %s", created).isEqualTo(201);
            return created.json().path("value").asString();
        });
    }

    /** SIGTERM: a graceful shutdown (the worker stops its assignments and says goodbye); its process, to wait for. */
    public Process terminate(String id) {
        Process process = workers.remove(id);
        process.destroy();
        return process;
    }

    /** SIGKILL: no shutdown hook, no goodbye to the control plane. */
    public void kill(String id) throws InterruptedException {
        workers.remove(id).destroyForcibly().waitFor();
    }

    public Set<String> liveWorkers() {
        Set<String> live = new HashSet<>();
        for (JsonNode w : api.get("/api/v1/fleet/workers").json()) {
            if (w.path("live").asBoolean()) {
                live.add(w.path("id").asString());
            }
        }
        return live;
    }

    /** The worker's row in {@code GET /api/v1/fleet/workers}, or null. */
    public JsonNode worker(String id) {
        for (JsonNode w : api.get("/api/v1/fleet/workers").json()) {
            if (w.path("id").asString().equals(id)) {
                return w;
            }
        }
        return null;
    }

    /**
     * The sync status a worker reports for one assignment at one epoch, from the worker's own API
     * ({@code null} worker: this process), or null while it runs no such thing.
     */
    public JsonNode workerLinks(String workerId, String assignment, long epoch) {
        for (JsonNode status : workerStatus(workerId)) {
            if (status.path("link").asString().equals(assignment) && status.path("epoch").asLong() == epoch) {
                return status;
            }
        }
        return null;
    }

    /** What a worker says it runs ({@code GET /api/v1/worker/links}, asked directly); {@code null}: this process. */
    public JsonNode workerStatus(String workerId) {
        Api at = api;
        if (workerId != null) {
            String address = worker(workerId).path("address").asString();
            at = new Api(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))).withToken(workerToken(workerId));
        }
        return at.get("/api/v1/worker/links").json();
    }

    /** Assignment id ({@code link/shard}) → its row in the link API. */
    public Map<String, JsonNode> assignments() {
        Map<String, JsonNode> all = new HashMap<>();
        for (JsonNode link : api.get("/api/v1/links").json()) {
            for (JsonNode shard : link.path("shards")) {
                all.put(link.path("id").asString() + "/" + shard.path("shard").asString(), shard);
            }
        }
        return all;
    }

    /** Worker id → the assignments it holds. */
    public Map<String, Set<String>> holdings() {
        Map<String, Set<String>> held = new HashMap<>();
        assignments().forEach((id, a) -> held.computeIfAbsent(a.path("worker").asString(), w -> new HashSet<>()).add(id));
        return held;
    }

    public Map<String, Long> epochs() {
        Map<String, Long> epochs = new HashMap<>();
        assignments().forEach((id, a) -> epochs.put(id, a.path("epoch").asLong()));
        return epochs;
    }

    /**
     * True when there are {@code expected} links and every one streams; otherwise fails with each
     * link's state and reason, which is what a timed-out wait then reports.
     */
    public boolean allStreaming(int expected) {
        JsonNode links = api.get("/api/v1/links").json();
        List<String> notYet = new ArrayList<>();
        for (JsonNode link : links) {
            if (!"STREAMING".equals(link.path("state").asString())) {
                notYet.add(link.path("id").asString() + " " + link.path("state").asString() + " ("
                        + link.path("stateReason").asString() + ")");
            }
        }
        if (links.size() != expected || !notYet.isEmpty()) {
            throw new AssertionError(links.size() + " of " + expected + " links; not streaming: " + notYet);
        }
        return true;
    }

    /**
     * Where a replacement's time went, from the API's own records: the killed worker's last
     * heartbeat (its lease ran out {@code lease} later) and the ASSIGNMENT events that moved its
     * assignments, relative to the kill.
     */
    public void printReplacementTimeline(String tag, String killed, java.time.Instant killedAt, Set<String> assignments) {
        JsonNode w = worker(killed);
        StringBuilder line = new StringBuilder(tag + " timeline (ms after the kill):");
        if (w != null) {
            line.append(" last heartbeat ").append(millisAfter(killedAt, w.path("lastHeartbeat").asString()));
        }
        for (String id : assignments) {
            JsonNode events = api.get("/api/v1/events?type=ASSIGNMENT&limit=5&subject="
                    + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)).json();
            if (events.size() > 0) {
                line.append("; ").append(id).append(" reassigned ").append(millisAfter(killedAt,
                        events.get(0).path("occurredAt").asString()));
            }
        }
        System.out.println(line);
    }

    private static long millisAfter(java.time.Instant origin, String instant) {
        return java.time.Duration.between(origin, java.time.Instant.parse(instant)).toMillis();
    }

    @Override
    public void close() {
        workers.values().forEach(Process::destroyForcibly);
        workers.clear();
    }
}
