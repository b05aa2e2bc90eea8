package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Issue 19, must-show 1: what one client can make the control plane hold. Eight concurrent 100 MB
 * bodies to every unauthenticated endpoint and to a few authenticated ones — with a declared length
 * and without — are refused with 413 problem documents while nearly nothing of them is read; a
 * crowd of slow requests from one address is capped; through all of it the in-process worker keeps
 * its leases and the links keep streaming.
 */
@AppIT
class RequestLimitsIT {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static final int CONCURRENT = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    Cleanup cleanup = new Cleanup();
    @Autowired
    Api api;
    @Autowired
    Environment environment;
    @Autowired
    RequestLimits limits;

    private Map<String, Long> epochsBefore;

    @BeforeEach
    void twoRegionsStreaming() {
        RedisNode a = cleanup.add(RedisNode.start());
        RedisNode b = cleanup.add(RedisNode.start());
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + a.address() + "\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/c2", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + b.address() + "\"],\"mesh\":\"m\"}");
        awaitStreaming();
        epochsBefore = epochs();
    }

    private record Target(String method, String path, String token) {
    }

    @Test
    void hundredMegabyteBodiesAreRefusedUnreadAndReplicationGoesOn() throws Exception {
        String worker = api.get("/api/v1/fleet/workers").json().get(0).path("id").asString();
        String workerToken = api.post("/api/v1/tokens", "{\"name\":\"limits-worker\",\"role\":\"WORKER\",\"worker\":\"" + worker
                + "\"}").json().path("value").asString();
        List<Target> targets = List.of(
                // open to anyone
                new Target("POST", "/api/v1/session", null),
                new Target("DELETE", "/api/v1/session", null),
                new Target("GET", "/api/v1/session", null),
                new Target("POST", "/actuator/health", null),
                new Target("PUT", "/", null),
                // authenticated
                new Target("PUT", "/api/v1/regions/r3", dev.redmesh.testing.TestSecurity.ADMIN_TOKEN),
                new Target("POST", "/api/v1/tokens", dev.redmesh.testing.TestSecurity.ADMIN_TOKEN),
                new Target("PUT", "/api/v1/fleet/workers/" + worker, workerToken));

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        ExecutorService pool = Executors.newFixedThreadPool(targets.size() * CONCURRENT * 2 + 1);
        try {
            Future<?> sampler = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Future<Sent>> sent = new ArrayList<>();
            for (Target target : targets) {
                for (int i = 0; i < CONCURRENT; i++) {
                    boolean declared = i % 2 == 0;
                    sent.add(pool.submit(() -> send(target, declared)));
                }
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            long written = 0;
            for (Future<Sent> f : sent) {
                Sent s = f.get(120, TimeUnit.SECONDS);
                statuses.merge(s.status(), 1, Integer::sum);
                written += s.bytesWritten();
                assertThat(s.status()).as("%s %s (%s)", s.target().method(), s.target().path(),
                        s.declared() ? "declared length" : "chunked").isEqualTo(413);
                assertThat(s.contentType()).startsWith("application/problem+json");
                assertThat(JSON.readTree(s.body()).path("type").asString()).isEqualTo("urn:redmesh:problem:payload-too-large");
            }
            sampler.cancel(true);
            long grew = heapPeak.get() - heapBefore;
            System.out.printf("RequestLimitsIT: %d requests of 100 MB, %d MB written by the clients before the server cut them off, "
                    + "heap peak %d MB above the start%n", sent.size(), written >> 20, grew >> 20);
            assertThat(statuses).containsOnlyKeys(413);
            // 64 requests × 100 MB would be 6.4 GB; the server reads at most a limit's worth of each
            assertThat(grew).as("heap growth while refusing").isLessThan(256L * 1024 * 1024);
        } finally {
            pool.shutdownNow();
        }
        assertStillReplicating();
    }

    /**
     * A crowd of slow requests from one address: those past the per-client cap are answered 429 at
     * once, another address is served meanwhile, and the in-process worker keeps its leases.
     */
    @Test
    void aCrowdOfSlowRequestsFromOneAddressIsCappedAndOthersAreServed() throws Exception {
        int cap = limits.maxRequestsPerClient();
        List<Socket> slow = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < cap + 20; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 2000);
                socket.setSoTimeout(300);
                // a sign-in whose body never comes: the request holds a thread while it waits
                socket.getOutputStream().write(("POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
                if (i >= cap) {
                    String answer = readSome(socket);
                    if (answer.startsWith("HTTP/1.1 429")) {
                        refused++;
                    }
                }
            }
            System.out.printf("RequestLimitsIT: %d slow requests from one address, cap %d, %d refused at once%n",
                    cap + 20, cap, refused);
            assertThat(refused).as("requests past the cap refused at once").isGreaterThanOrEqualTo(15);
            // another address (Linux answers on all of 127/8) is served while the crowd waits
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(new InetSocketAddress("127.0.0.1", port()), 2000);
                other.setSoTimeout(5000);
                other.getOutputStream().write(("GET /api/v1/regions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(readSome(other)).startsWith("HTTP/1.1 200");
            }
            Thread.sleep(6000); // longer than a lease: the worker must have renewed through the crowd
            assertStillReplicating();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private record Sent(Target target, boolean declared, int status, String contentType, String body, long bytesWritten) {
    }

    /** One request with a 100 MB body, streamed while the answer is read, over a plain socket. */
    private Sent send(Target target, boolean declared) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 5000);
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(target.method() + " " + target.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\n");
            if (target.token() != null) {
                head.append("Authorization: Bearer ").append(target.token()).append("\r\n");
            }
            head.append(declared ? "Content-Length: " + HUNDRED_MB + "\r\n" : "Transfer-Encoding: chunked\r\n").append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                chunk[0] = '{';
                try {
                    while (written.get() < HUNDRED_MB) {
                        if (!declared) {
                            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(chunk);
                        if (!declared) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        written.addAndGet(chunk.length);
                        chunk[0] = 'a';
                    }
                } catch (IOException closedByTheServer) {
                    // expected: the server answered and closed the connection
                }
            });
            writer.setDaemon(true);
            writer.start();
            Response response = readResponse(socket.getInputStream());
            writer.interrupt();
            socket.close();
            writer.join(10_000);
            return new Sent(target, declared, response.status(), response.contentType(), response.body(), written.get());
        }
    }

    private record Response(int status, String contentType, String body) {
    }

    private static Response readResponse(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            headers.append((char) b);
            if (headers.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        String[] lines = headers.toString().split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = "";
        int length = -1;
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).strip();
            } else if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        String body;
        if (chunked) {
            StringBuilder text = new StringBuilder();
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.strip(), 16);
                if (n == 0) {
                    break;
                }
                text.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                readLine(in);
            }
            body = text.toString();
        } else {
            body = new String(length >= 0 ? in.readNBytes(length) : in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(status, contentType, body);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static String readSome(Socket socket) {
        try {
            byte[] buffer = new byte[512];
            int n = socket.getInputStream().read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException timedOut) {
            return "";
        }
    }

    private int port() {
        return environment.getRequiredProperty("local.server.port", Integer.class);
    }

    private void awaitStreaming() {
        await("both links streaming").atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode links = api.get("/api/v1/links").json();
            assertThat(links.size()).isEqualTo(2);
            links.forEach(l -> assertThat(l.path("state").asString()).as(l.toString()).isEqualTo("STREAMING"));
        });
    }

    private Map<String, Long> epochs() {
        Map<String, Long> epochs = new HashMap<>();
        api.get("/api/v1/links").json().forEach(l -> l.path("shards").forEach(s ->
                epochs.put(l.path("id").asString() + "/" + s.path("shard").asString(), s.path("epoch").asLong())));
        return epochs;
    }

    /** Every link streaming at the epochs it had: the worker never lost a lease. */
    private void assertStillReplicating() {
        awaitStreaming();
        assertThat(epochs()).as("no assignment moved or restarted").isEqualTo(epochsBefore);
        assertThat(api.get("/api/v1/events?type=ASSIGNMENT&limit=50").json().valueStream()
                .filter(e -> e.path("message").asString().contains("lease")).toList()).as("no lease ran out").isEmpty();
    }
}
