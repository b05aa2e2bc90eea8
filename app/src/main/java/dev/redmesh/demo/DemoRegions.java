package dev.redmesh.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.identity.Role;
import dev.redmesh.security.TokenService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo ({@code redmesh.demo.enabled=true}): three local redis-server processes as three regions,
 * joined into mesh {@code demo} through the same REST calls a CI pipeline makes, with a light write
 * load in each, so links stream and lag moves.
 *
 * <p>Each region's redis-server keeps its data in {@code redmesh.demo.data-dir}/<region> and comes
 * back there, on the same port, at the next start; one an earlier run left behind is stopped first,
 * so there is only ever one set. On a stop the write load ends first; the servers stop last, once
 * the workers that read them have stopped (bean destruction comes after every lifecycle's stop).
 */
@Component
@ConditionalOnProperty(name = "redmesh.demo.enabled", havingValue = "true")
class DemoRegions implements SmartLifecycle, InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoRegions.class);
    static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    /** Rounds of writes a second in each region; a round is three writes (a counter, a cart, a ranking). */
    private static final int ROUNDS_PER_SECOND = 20;
    private static final int WRITES_PER_ROUND = 3;

    private final Environment environment;
    private final DemoProperties properties;
    /** The demo administers this process through its API, like a pipeline would, with a credential only it holds. */
    private final String token;
    private final List<RedisNode> nodes = new ArrayList<>();
    private final List<RedisClient> clients = new ArrayList<>();
    private PeriodicLoop load;
    private long round;
    private volatile boolean running;

    DemoRegions(Environment environment, DemoProperties properties, TokenService tokens) {
        this.environment = environment;
        this.properties = properties;
        this.token = tokens.internalCredential("demo", Role.ADMIN);
    }

    /**
     * The servers start with the bean, before any lifecycle: the worker, which starts whatever links an
     * earlier run stored, finds its sources up.
     */
    @Override
    public void afterPropertiesSet() {
        for (String region : REGIONS) {
            nodes.add(RedisNode.startKept(RedisBinary.locate(), properties.dataDir().resolve(region),
                    // a handover resumes by partial resync; the data is saved at a stop and every minute
                    List.of("repl-backlog-size 64mb", "save 60 1"), found -> log.info("Demo region {}: {}", region, found)));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void startDemo() throws Exception {
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
        HttpClient http = HttpClient.newHttpClient();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        for (int r = 0; r < REGIONS.size(); r++) {
            String region = REGIONS.get(r);
            RedisNode node = nodes.get(r);
            put(http, token, base + "/api/v1/regions/" + region, "{\"displayName\":\"demo " + region + "\",\"cloud\":\"local\"}");
            put(http, token, base + "/api/v1/clusters/shop-" + region, "{\"region\":\"" + region
                    + "\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + node.address() + "\"],\"mesh\":\"demo\"}");
            RedisClient client = RedisClient.create(node.uri());
            clients.add(client);
            connections.add(client.connect());
            log.info("Demo region {}: redis-server at {} (cluster shop-{})", region, node.address(), region);
        }
        running = true;
        load = PeriodicLoop.every(Duration.ofMillis(1000 / ROUNDS_PER_SECOND), "demo-load", () -> writeRound(connections));
        load.start();
        log.info("Demo: 3 regions in mesh 'demo', {} writes/s each ({} rounds of {}); watch {}/api/v1/links",
                ROUNDS_PER_SECOND * WRITES_PER_ROUND, ROUNDS_PER_SECOND, WRITES_PER_ROUND, base);
    }

    private void writeRound(List<StatefulRedisConnection<String, String>> connections) {
        long n = round++;
        for (int r = 0; r < connections.size(); r++) {
            String region = REGIONS.get(r);
            try {
                var redis = connections.get(r).async();
                redis.incr("visits:" + region);
                redis.set("cart:" + region + ":" + (n % 500), "item-" + n);
                redis.zincrby("top-products", 1, "product-" + (n % 20));
            } catch (RuntimeException e) {
                log.debug("demo write to {} failed: {}", region, e.toString());
            }
        }
    }

    private static void put(HttpClient http, String token, String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("demo: PUT " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public void start() {
        // the regions start once the API answers (ApplicationReadyEvent)
    }

    /** The write load stops first of all, so nothing writes while the rest of the process stops. */
    @Override
    public void stop() {
        running = false;
        if (load != null) {
            load.stop(Duration.ofSeconds(2));
        }
        clients.forEach(client -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        clients.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** The servers stop once every worker and poller that reads them has stopped. */
    @Override
    public void destroy() {
        nodes.forEach(RedisNode::close);
        nodes.clear();
    }
}
