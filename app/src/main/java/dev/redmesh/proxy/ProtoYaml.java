package dev.redmesh.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.clusters.redis.v3.RedisClusterConfig;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Envoy configuration as YAML, from the protos and back: protobuf's JSON mapping (the same Envoy
 * reads), with every type that travels in an {@code Any} registered, written out as YAML.
 */
public final class ProtoYaml {

    /** Every message type redmesh packs into an {@code Any}. */
    public static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(RedisProxy.getDescriptor())
            .add(RedisProtocolOptions.getDescriptor())
            .add(RedisClusterConfig.getDescriptor())
            .add(UpstreamTlsContext.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor())
            .build();

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProtoYaml() {
    }

    public static String toYaml(Message message) {
        try {
            String json = JsonFormat.printer().usingTypeRegistry(TYPES).print(message);
            return YAML.writeValueAsString(JSON.readTree(json));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an Envoy message did not print: " + e.getMessage(), e);
        }
    }

    /** Parses YAML into a bootstrap, refusing any field Envoy's protos do not have. */
    public static Bootstrap bootstrap(String yaml) throws InvalidProtocolBufferException {
        JsonNode tree = YAML.readTree(yaml);
        Bootstrap.Builder builder = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TYPES).merge(JSON.writeValueAsString(tree), builder);
        return builder.build();
    }
}
