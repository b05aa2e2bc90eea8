package dev.redmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's API types are generated at build time from {@code web-ui/openapi.json}
 * (openapi-typescript): that file must be the document the app serves, or the dashboard would be
 * typed against an API that no longer exists.
 */
@AppIT
class OpenApiDocumentIT {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    @Autowired
    Api api;

    @Test
    void theDashboardIsTypedAgainstTheDocumentTheAppServes() throws Exception {
        ObjectNode live = (ObjectNode) api.anonymous().get("/v3/api-docs").json();
        live.remove("servers"); // names the port the test happened to get
        Path fresh = Path.of("target", "openapi.json");
        Files.writeString(fresh, JSON.writeValueAsString(JSON.treeToValue(live, Object.class)) + "\n");
        Path committed = Path.of("..", "web-ui", "openapi.json");
        JsonNode current = Files.exists(committed) ? JSON.readTree(Files.readString(committed)) : null;
        assertThat(current != null && current.equals(live))
                .as("web-ui/openapi.json is out of date: copy app/target/openapi.json over it").isTrue();
    }
}
