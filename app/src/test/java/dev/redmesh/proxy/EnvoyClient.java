package dev.redmesh.proxy;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.rpc.Status;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * A client of the ADS stream acting as Envoy does: requests with its node (id, region in the
 * metadata), ACKs (version and nonce of what it accepted) or NACKs (the nonce, the version it
 * still runs, and an error).
 */
final class EnvoyClient implements AutoCloseable {

    static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    /** Responses not taken yet, per type: waiting for one type never drops another's. */
    private final java.util.Map<String, BlockingQueue<DiscoveryResponse>> responses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Throwable error;
    private final String nodeId;
    private final String region;

    EnvoyClient(int port, String token, String nodeId, String region) {
        this.nodeId = nodeId;
        this.region = region;
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                queue(response.getTypeUrl()).add(response);
            }

            @Override
            public void onError(Throwable t) {
                error = t;
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    /** With the node on every request, as Envoy sends it by default ({@code set_node_on_first_message_only: false}). */
    private DiscoveryRequest.Builder request(String typeUrl) {
        return DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setNode(EnvoyBootstrap.node(region, nodeId));
    }

    void subscribe(String typeUrl) {
        requests.onNext(request(typeUrl).build());
    }

    void ack(DiscoveryResponse response) {
        requests.onNext(request(response.getTypeUrl()).setVersionInfo(response.getVersionInfo())
                .setResponseNonce(response.getNonce()).build());
    }

    /** Rejects {@code response}, saying it still runs {@code running}. */
    void nack(DiscoveryResponse response, String running, String why) {
        requests.onNext(request(response.getTypeUrl()).setVersionInfo(running).setResponseNonce(response.getNonce())
                .setErrorDetail(Status.newBuilder().setCode(3).setMessage(why)).build());
    }

    private BlockingQueue<DiscoveryResponse> queue(String typeUrl) {
        return responses.computeIfAbsent(typeUrl, t -> new LinkedBlockingQueue<>());
    }

    /**
     * The first response of {@code typeUrl} that matches, waiting up to {@code seconds}; the caller acks
     * or nacks it. Those before it are acked as Envoy would (a server sends the next version only after
     * the previous one was answered).
     */
    DiscoveryResponse next(String typeUrl, Predicate<DiscoveryResponse> wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            DiscoveryResponse response = queue(typeUrl).poll(100, TimeUnit.MILLISECONDS);
            if (response != null) {
                if (wanted.test(response)) {
                    return response;
                }
                ack(response);
            }
            if (error != null) {
                throw new IllegalStateException("the ADS stream failed: " + error, error);
            }
        }
        throw new AssertionError("no matching " + typeUrl + " response within " + seconds + " s");
    }

    Throwable error() {
        return error;
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            requests.onCompleted();
            channel.shutdownNow();
        }
    }
}
