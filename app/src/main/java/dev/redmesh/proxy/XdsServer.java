package dev.redmesh.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.ops.StartupProblem;
import dev.redmesh.identity.Caller;
import dev.redmesh.identity.Role;
import dev.redmesh.security.TokenService;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The ADS gRPC server Envoy proxies stream their configuration from (java-control-plane's
 * {@link V3DiscoveryServer} over a snapshot cache). Proxies are grouped by region — node metadata
 * {@code region}, else the node's {@code cluster} — and every region's snapshot is replaced when its
 * configuration's version changes. Streams must present a PROXY (or ADMIN) token as
 * {@code authorization: Bearer …} metadata.
 */
@Component
class XdsServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(XdsServer.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final XdsConfigs configs;
    private final ProxyRegistry registry;
    private final TokenService tokens;
    private final ProxyProperties properties;
    /** The port was set by the operator, not left at its default: a clash then stops the start. */
    private final boolean portConfigured;
    private final SimpleCache<String> cache = new SimpleCache<>(XdsServer::regionOf);
    private final XdsStreams streams = new XdsStreams();
    private final dev.redmesh.lifecycle.PeriodicLoop recheck;
    private volatile Server server;
    /** The caller a stream authenticated as, for the callbacks that see its node. */
    static final io.grpc.Context.Key<Caller> CALLER = io.grpc.Context.key("redmesh-caller");

    XdsServer(XdsConfigs configs, ProxyRegistry registry, TokenService tokens, ProxyProperties properties,
              org.springframework.core.env.Environment environment) {
        this.configs = configs;
        this.registry = registry;
        this.tokens = tokens;
        this.properties = properties;
        this.portConfigured = environment.containsProperty("redmesh.proxy.xds-port");
        this.recheck = dev.redmesh.lifecycle.PeriodicLoop.every(
                environment.getProperty("redmesh.security.token-cache-ttl", java.time.Duration.class, java.time.Duration.ofSeconds(5)),
                "xds-token-recheck", this::recheckTokens);
    }

    static String regionOf(Node node) {
        var region = node.getMetadata().getFieldsMap().get("region");
        return region != null && !region.getStringValue().isEmpty() ? region.getStringValue() : node.getCluster();
    }

    /** The port proxies connect to, or -1 while not serving. */
    int port() {
        Server s = server;
        return s == null ? -1 : s.getPort();
    }

    @Override
    public void start() {
        if (properties.xdsPort() < 0) {
            log.info("xDS server disabled (redmesh.proxy.xds-port=-1); proxies can still use rendered static bootstraps");
            return;
        }
        configs.onChange(config -> cache.setSnapshot(config.region(), Snapshot.create(config.clusters(), List.of(),
                config.listeners(), List.of(), List.of(), config.version())));
        V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(new IdentityCheck(), registry), cache);
        InetSocketAddress bind = new InetSocketAddress(properties.xdsBindAddress(), properties.xdsPort());
        try {
            server = NettyServerBuilder.forAddress(bind)
                    .addService(ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), new ProxyTokens()))
                    .build().start();
        } catch (IOException e) {
            if (!addressInUse(e)) {
                throw new UncheckedIOException("the xDS server could not listen on " + bind, e);
            }
            String taken = "Port " + properties.xdsPort() + " on " + properties.xdsBindAddress()
                    + " (redmesh.proxy.xds-port) for the Envoy xDS server is already in use";
            if (portConfigured) {
                throw new StartupProblem(taken + ".", "Set redmesh.proxy.xds-port to a free port (0: any free one, -1: no xDS server).");
            }
            log.warn("{} (another redmesh on this host?): this instance serves no xDS; set redmesh.proxy.xds-port to a free port (0: any) for one",
                    taken);
            return;
        }
        log.info("xDS (ADS) server for Envoy proxies on {}:{}", properties.xdsBindAddress(), server.getPort());
        recheck.start();
    }

    /** gRPC's Netty reports a taken port as its own native exception, somewhere down the causes. */
    private static boolean addressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** A stream ends as soon as its token is revoked here; one revoked on another control plane, at the next recheck. */
    @org.springframework.context.event.EventListener
    void revoked(TokenService.Revoked revoked) {
        streams.end(s -> revoked.tokenId().equals(s.caller().tokenId()), "the token was revoked");
    }

    private void recheckTokens() {
        streams.end(s -> s.caller().tokenId() != null && tokens.byTokenId(s.caller().tokenId(), Caller.Via.BEARER).isEmpty(),
                "the token was revoked or has expired");
    }

    /** Open streams right now (for tests and the log). */
    int openStreams() {
        return streams.size();
    }

    @Override
    public void stop() {
        recheck.stop(java.time.Duration.ofSeconds(5));
        Server s = server;
        server = null;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Streams without a PROXY or ADMIN token end before any configuration is sent. */
    private final class ProxyTokens implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String bearer = Caller.bearerToken(headers.get(AUTHORIZATION));
            var caller = bearer != null ? tokens.authenticate(bearer) : java.util.Optional.<Caller>empty();
            if (caller.isEmpty()) {
                call.close(Status.UNAUTHENTICATED.withDescription("a PROXY token is needed: authorization: Bearer <token>"),
                        new Metadata());
                return new ServerCall.Listener<>() { };
            }
            if (caller.get().role() != Role.PROXY && caller.get().role() != Role.ADMIN) {
                call.close(Status.PERMISSION_DENIED.withDescription("the token's role is " + caller.get().role()
                        + "; configuration streams need PROXY"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            return streams.open(caller.get(), call, headers, next);
        }
    }

    /**
     * A PROXY token serves one region's proxies: a stream whose node names another region, or a node id
     * outside the token's scope, ends before anything is recorded or sent.
     */
    private static final class IdentityCheck implements io.envoyproxy.controlplane.server.DiscoveryServerCallbacks {
        @Override
        public void onV3StreamRequest(long streamId, io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest request)
                throws io.envoyproxy.controlplane.server.exception.RequestException {
            Caller caller = CALLER.get();
            if (caller != null && request.hasNode() && !caller.mayServeProxy(regionOf(request.getNode()), request.getNode().getId())) {
                throw new io.envoyproxy.controlplane.server.exception.RequestException(Status.PERMISSION_DENIED.withDescription(
                        "token '" + caller.name() + "' serves " + caller.scope() + ", not node " + request.getNode().getId()
                                + " of region " + regionOf(request.getNode())));
            }
        }

        @Override
        public void onV3StreamDeltaRequest(long streamId, io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest request) {
        }
    }
}
