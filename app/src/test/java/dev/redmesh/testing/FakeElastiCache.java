package dev.redmesh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the ElastiCache API, for tests that run the real AWS SDK client: it speaks
 * the AWS Query protocol (form-encoded POST in, XML out, {@code ErrorResponse} with the status
 * codes of the service model) for DescribeReplicationGroups and DescribeEvents.
 *
 * <pre>{@code
 * try (FakeElastiCache aws = FakeElastiCache.start()) {
 *     aws.replicationGroup("orders").primary("orders-001", a).replica("orders-002", b).create();
 *     ... new SdkElastiCacheApi(properties with aws.uri(), credentials) ...
 *     aws.promote("orders", "0001", "orders-002");
 * }
 * }</pre>
 *
 * It checks that requests carry a SigV4 {@code Authorization} header but not the signature, so
 * any key works.
 */
public final class FakeElastiCache implements AutoCloseable {

    private static final String API_VERSION = "2015-02-02";
    private static final Pattern SIGV4 = Pattern.compile("AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/([^/]+)/elasticache/aws4_request,.*");
    /** The API's documented bounds for MaxRecords. */
    private static final int MIN_RECORDS = 20;
    private static final int MAX_RECORDS = 100;
    /** Without StartTime or EndTime, DescribeEvents covers the last hour. */
    private static final Duration DEFAULT_EVENT_WINDOW = Duration.ofMinutes(60);

    /** One request as the fake received it, for tests that check what the SDK sends. */
    public record Request(String action, Map<String, String> params, String signingRegion) {
    }

    /** One {@code <Event>}. */
    public record Event(Instant date, String sourceIdentifier, String sourceType, String message) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final Map<String, FakeReplicationGroup> groups = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private int pageLimit = MAX_RECORDS;
    private int failuresLeft;
    private int failureStatus;
    private String failureCode;
    private Duration replyDelay = Duration.ZERO;

    private FakeElastiCache(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static FakeElastiCache start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // several handler threads, so a reply held back by delayReplies does not queue the next request
            ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-elasticache");
                thread.setDaemon(true);
                return thread;
            });
            FakeElastiCache fake = new FakeElastiCache(server, handlers);
            server.setExecutor(handlers);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake ElastiCache", e);
        }
    }

    /** For the SDK's endpoint override. */
    /**
     * Points the app's ElastiCache client at this server, polled every second, with the credentials
     * the SDK's default chain reads (the fake checks only that a signature is there).
     */
    public void configure(org.springframework.test.context.DynamicPropertyRegistry registry) {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
        registry.add("redmesh.topology.elasticache.endpoint-override", () -> uri().toString());
        registry.add("redmesh.topology.elasticache.poll-interval", () -> "1s");
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Starts describing a replication group; {@code create()} adds it (or replaces one of that id). */
    public FakeReplicationGroup.Builder replicationGroup(String id) {
        return new FakeReplicationGroup.Builder(id, group -> {
            synchronized (this) {
                groups.put(key(id), group);
            }
        });
    }

    /**
     * A completed failover in {@code nodeGroupId}: {@code cacheClusterId} becomes primary, the
     * primary endpoint follows it (as ElastiCache's DNS name does), and the events ElastiCache
     * documents for a failover are logged for the cache cluster and for the group.
     *
     * @return the date of those events
     */
    public synchronized Instant promote(String groupId, String nodeGroupId, String cacheClusterId) {
        FakeReplicationGroup group = group(groupId);
        if (group == null) {
            throw new IllegalArgumentException("no replication group " + groupId);
        }
        FakeReplicationGroup.NodeGroup nodeGroup = group.nodeGroup(nodeGroupId);
        FakeReplicationGroup.Member promoted = nodeGroup.member(cacheClusterId);
        FakeReplicationGroup.Member demoted = nodeGroup.primary();
        demoted.primary = false;
        promoted.primary = true;
        if (!group.clusterEnabled) {
            nodeGroup.primaryEndpoint = promoted.endpoint;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String message = "Failover from primary node " + demoted.cacheClusterId + " to replica node "
                + promoted.cacheClusterId + " completed";
        events.add(new Event(now, promoted.cacheClusterId, "cache-cluster", message));
        events.add(new Event(now, group.id, "replication-group", message));
        return now;
    }

    /** Logs an event, e.g. {@code addEvent(Instant.now(), "orders-002", "cache-cluster", "Recovering cache nodes 0001")}. */
    public synchronized void addEvent(Instant date, String sourceIdentifier, String sourceType, String message) {
        events.add(new Event(date.truncatedTo(ChronoUnit.MILLIS), sourceIdentifier, sourceType, message));
    }

    /**
     * Returns at most this many records per page whatever MaxRecords asks, as AWS may: lets a test
     * see pagination with few events.
     */
    public synchronized void pageLimit(int records) {
        this.pageLimit = records;
    }

    /**
     * The next {@code times} signed requests fail with this status and error code, e.g.
     * {@code failNext(2, 503, "ServiceUnavailable")} to see the SDK retry.
     */
    public synchronized void failNext(int times, int status, String code) {
        this.failuresLeft = times;
        this.failureStatus = status;
        this.failureCode = code;
    }

    /** Holds every reply back this long, to see the client's timeouts. */
    public synchronized void delayReplies(Duration delay) {
        this.replyDelay = delay;
    }

    /** How many requests of this Action arrived (signed or not). */
    public synchronized int requests(String action) {
        return (int) requests.stream().filter(request -> action.equals(request.action())).count();
    }

    /** Every request so far, oldest first. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = formParams(exchange);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher signature = SIGV4.matcher(authorization == null ? "" : authorization);
            String signingRegion = signature.matches() ? signature.group(1) : null;
            Reply reply;
            Duration delay;
            synchronized (this) {
                requests.add(new Request(params.get("Action"), params, signingRegion));
                reply = reply(params, signingRegion);
                delay = replyDelay;
            }
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Reply reply(Map<String, String> params, String signingRegion) {
        if (signingRegion == null) {
            return Reply.error(403, "MissingAuthenticationToken", "Request is missing a SigV4 Authorization header for elasticache");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return Reply.error(failureStatus, failureCode, "injected by the test");
        }
        return dispatch(params);
    }

    private Reply dispatch(Map<String, String> params) {
        if (!API_VERSION.equals(params.get("Version"))) {
            return Reply.error(400, "InvalidParameterValue", "Unsupported Version " + params.get("Version"));
        }
        String action = String.valueOf(params.get("Action"));
        return switch (action) {
            case "DescribeReplicationGroups" -> describeReplicationGroups(params);
            case "DescribeEvents" -> describeEvents(params);
            default -> Reply.error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private Reply describeReplicationGroups(Map<String, String> params) {
        String id = params.get("ReplicationGroupId");
        List<FakeReplicationGroup> found = id == null ? List.copyOf(groups.values()) : new ArrayList<>();
        if (id != null) {
            FakeReplicationGroup group = group(id);
            if (group == null) {
                // 404 is what the service model gives ReplicationGroupNotFoundFault
                return Reply.error(404, "ReplicationGroupNotFoundFault", "ReplicationGroup " + id + " not found.");
            }
            found.add(group);
        }
        QueryXml xml = QueryXml.root("DescribeReplicationGroupsResponse")
                .start("DescribeReplicationGroupsResult")
                .start("ReplicationGroups");
        found.forEach(group -> group.writeTo(xml));
        xml.end().end();
        return Reply.ok(xml);
    }

    /** Newest first, as filters and Marker ask; StartTime and EndTime are inclusive here. */
    private Reply describeEvents(Map<String, String> params) {
        int maxRecords = params.containsKey("MaxRecords") ? Integer.parseInt(params.get("MaxRecords")) : MAX_RECORDS;
        if (maxRecords < MIN_RECORDS || maxRecords > MAX_RECORDS) {
            return Reply.error(400, "InvalidParameterValue",
                    "MaxRecords must be between " + MIN_RECORDS + " and " + MAX_RECORDS + ", was " + maxRecords);
        }
        Instant end = params.containsKey("EndTime") ? Instant.parse(params.get("EndTime")) : Instant.now();
        Instant start = params.containsKey("StartTime") ? Instant.parse(params.get("StartTime"))
                : end.minus(params.containsKey("Duration")
                        ? Duration.ofMinutes(Long.parseLong(params.get("Duration"))) : DEFAULT_EVENT_WINDOW);
        String sourceType = params.get("SourceType");
        String sourceIdentifier = params.get("SourceIdentifier");
        List<Event> matching = events.stream()
                .filter(event -> !event.date().isBefore(start) && !event.date().isAfter(end))
                .filter(event -> sourceType == null || sourceType.equals(event.sourceType()))
                .filter(event -> sourceIdentifier == null || sourceIdentifier.equalsIgnoreCase(event.sourceIdentifier()))
                .sorted(Comparator.comparing(Event::date).reversed())
                .toList();
        int from = params.containsKey("Marker") ? decodeMarker(params.get("Marker")) : 0;
        int to = Math.min(matching.size(), from + Math.min(maxRecords, pageLimit));

        QueryXml xml = QueryXml.root("DescribeEventsResponse").start("DescribeEventsResult");
        if (to < matching.size()) {
            xml.element("Marker", encodeMarker(to));
        }
        xml.start("Events");
        for (Event event : matching.subList(from, to)) {
            xml.start("Event")
                    .element("SourceIdentifier", event.sourceIdentifier())
                    .element("SourceType", event.sourceType())
                    .element("Message", event.message())
                    .element("Date", event.date())
                    .end();
        }
        xml.end().end();
        return Reply.ok(xml);
    }

    /** Opaque to clients, as AWS's markers are; here just the offset of the next page. */
    private static String encodeMarker(int offset) {
        return Base64.getEncoder().encodeToString(("events:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeMarker(String marker) {
        String decoded = new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8);
        return Integer.parseInt(decoded.substring("events:".length()));
    }

    /** ElastiCache ids are case-insensitive (it stores them lower case). */
    private FakeReplicationGroup group(String id) {
        return groups.get(key(id));
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> formParams(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private record Reply(int status, String requestId, String body) {

        static Reply ok(QueryXml xml) {
            String requestId = UUID.randomUUID().toString();
            return new Reply(200, requestId, xml.start("ResponseMetadata").element("RequestId", requestId).end().finish());
        }

        /** The Query protocol's error document; Sender for the client's faults as AWS does. */
        static Reply error(int status, String code, String message) {
            String requestId = UUID.randomUUID().toString();
            String body = QueryXml.root("ErrorResponse")
                    .start("Error")
                    .element("Type", status < 500 ? "Sender" : "Receiver")
                    .element("Code", code)
                    .element("Message", message)
                    .end()
                    .element("RequestId", requestId)
                    .finish();
            return new Reply(status, requestId, body);
        }
    }
}
