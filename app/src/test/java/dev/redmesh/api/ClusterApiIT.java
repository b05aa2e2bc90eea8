package dev.redmesh.api;

import static dev.redmesh.testing.Problems.assertFieldError;
import static dev.redmesh.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.DatabaseSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@AppIT
class ClusterApiIT {

    private static final String SECRET = "pa55-w0rd-never-shown";

    @Autowired
    DataSource dataSource;
    @Autowired
    Api api;

    @BeforeEach
    void setUp() {
        api.put("/api/v1/regions/eu-west-1", "{}");
    }

    @Test
    void putCreatesThenUpdatesAndNeverReturnsThePassword() {
        Api.Response created = api.put("/api/v1/clusters/orders-eu", """
                {"region":"eu-west-1","mode":"STANDALONE","seeds":["10.0.0.5:6379","redis-b.internal:6380"],
                 "username":"sync","password":"%s","tls":true}""".formatted(SECRET));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET).doesNotContain("\"password\"");
        assertThat(created.json().path("passwordSet").asBoolean()).isTrue();
        assertThat(created.json().path("tls").asBoolean()).isTrue();

        Api.Response updated = api.put("/api/v1/clusters/orders-eu", """
                {"region":"eu-west-1","mode":"STANDALONE","seeds":["10.0.0.5:6379"],"username":"sync"}""");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("seeds").size()).isEqualTo(1);
        assertThat(updated.json().path("passwordSet").asBoolean()).as("an omitted password is kept").isTrue();

        for (String path : new String[] {"/api/v1/clusters/orders-eu", "/api/v1/clusters", "/api/v1/regions"}) {
            assertThat(api.get(path).body()).doesNotContain(SECRET);
        }
        assertThat(new JdbcTemplate(dataSource).queryForObject("select password_ciphertext from cluster", String.class))
                .as("stored encrypted").startsWith("v1:").doesNotContain(SECRET);

        Api.Response cleared = api.put("/api/v1/clusters/orders-eu", """
                {"region":"eu-west-1","mode":"STANDALONE","seeds":["10.0.0.5:6379"],"password":""}""");
        assertThat(cleared.json().path("passwordSet").asBoolean()).isFalse();
    }

    @Test
    void elasticacheClusterNeedsNoSeeds() {
        Api.Response created = api.put("/api/v1/clusters/cache-eu", """
                {"region":"eu-west-1","mode":"ELASTICACHE",
                 "elasticache":{"replicationGroupId":"orders-cache","awsRegion":"eu-west-1"}}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("elasticache").path("replicationGroupId").asString()).isEqualTo("orders-cache");
    }

    @Test
    void listFiltersByRegionAndShowsStatus() {
        api.put("/api/v1/regions/us-east-1", "{}");
        api.put("/api/v1/clusters/a", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}");
        api.put("/api/v1/clusters/b", "{\"region\":\"us-east-1\",\"mode\":\"CLUSTER\",\"seeds\":[\"h:2\"]}");
        Api.Response list = api.get("/api/v1/clusters?region=us-east-1");
        assertThat(list.json().size()).isEqualTo(1);
        assertThat(list.json().get(0).path("name").asString()).isEqualTo("b");
        assertThat(list.json().get(0).path("status").path("ready").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/regions/us-east-1").json().path("clusters").get(0).asString()).isEqualTo("b");
    }

    static Stream<Arguments> badClusters() {
        return Stream.of(
                Arguments.of("missing region", "{\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}", "region"),
                Arguments.of("unknown region", "{\"region\":\"mars-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}", "region"),
                Arguments.of("invalid region name", "{\"region\":\"Mars\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}", "region"),
                Arguments.of("missing mode", "{\"region\":\"eu-west-1\",\"seeds\":[\"h:1\"]}", "mode"),
                Arguments.of("unknown mode", "{\"region\":\"eu-west-1\",\"mode\":\"SENTINEL\",\"seeds\":[\"h:1\"]}", "mode"),
                Arguments.of("lower-case mode", "{\"region\":\"eu-west-1\",\"mode\":\"standalone\",\"seeds\":[\"h:1\"]}", "mode"),
                Arguments.of("no seeds", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\"}", "seeds"),
                Arguments.of("empty seeds", "{\"region\":\"eu-west-1\",\"mode\":\"CLUSTER\",\"seeds\":[]}", "seeds"),
                Arguments.of("port 0", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:0\"]}", "seeds[0]"),
                Arguments.of("port 65536", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:65536\"]}", "seeds[0]"),
                Arguments.of("no port", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\",\"redis\"]}", "seeds[1]"),
                Arguments.of("port not a number", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:http\"]}", "seeds[0]"),
                Arguments.of("bad host", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"bad host:6379\"]}", "seeds[0]"),
                Arguments.of("bare ipv6", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"::1:6379\"]}", "seeds[0]"),
                Arguments.of("null seed", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[null]}", "seeds[0]"),
                Arguments.of("duplicate seed", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\",\"h:1\"]}", "seeds[1]"),
                Arguments.of("invalid mesh", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"mesh\":\"Prod Mesh\"}", "mesh"),
                Arguments.of("username with space", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"username\":\"a b\"}", "username"),
                Arguments.of("overlong password", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"password\":\"" + "p".repeat(1025) + "\"}", "password"),
                Arguments.of("elasticache without group", "{\"region\":\"eu-west-1\",\"mode\":\"ELASTICACHE\"}", "elasticache"),
                Arguments.of("elasticache bad group id", "{\"region\":\"eu-west-1\",\"mode\":\"ELASTICACHE\",\"elasticache\":{\"replicationGroupId\":\"1abc\",\"awsRegion\":\"eu-west-1\"}}", "elasticache.replicationGroupId"),
                Arguments.of("elasticache bad aws region", "{\"region\":\"eu-west-1\",\"mode\":\"ELASTICACHE\",\"elasticache\":{\"replicationGroupId\":\"abc\",\"awsRegion\":\"europe\"}}", "elasticache.awsRegion"),
                Arguments.of("elasticache on standalone", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"elasticache\":{\"replicationGroupId\":\"abc\",\"awsRegion\":\"eu-west-1\"}}", "elasticache"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClusters")
    void badInputIs400WithTheFieldNamedAndStoresNothing(String why, String body, String field) {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.put("/api/v1/clusters/c1", body), field);
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
        assertProblem(api.get("/api/v1/clusters/c1"), 404, "not-found");
    }

    @Test
    void badUpdateLeavesTheStoredClusterUntouched() {
        api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/c2", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:2\"],\"mesh\":\"m\"}");
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.put("/api/v1/clusters/c1",
                "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:99999\"],\"mesh\":null}"), "seeds[0]");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void malformedJsonAndWrongTypesAre400() {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":"), 400, "malformed-request");
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"tls\":\"yes\"}"), 400, "malformed-request");
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"seeds\":\"h:1\"}"), 400, "malformed-request");
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"seeds\":[6379]}"), 400, "malformed-request");
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"tls\":1}"), 400, "malformed-request");
        assertProblem(api.put("/api/v1/clusters/c1", "{\"region\":\"eu-west-1\",\"sedes\":[\"h:1\"]}"), 400, "malformed-request");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void invalidNameInPathIs400() {
        assertFieldError(api.put("/api/v1/clusters/Orders_EU",
                "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}"), "name");
    }

    @Test
    void deleteIsRefusedWhileInAMeshAndAllowedAfterLeaving() {
        api.put("/api/v1/clusters/a", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/b", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:2\"],\"mesh\":\"m\"}");
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.delete("/api/v1/clusters/a"), 409, "conflict");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);

        api.put("/api/v1/clusters/a", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}");
        assertThat(api.delete("/api/v1/clusters/a").status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/clusters/a"), 404, "not-found");
        assertProblem(api.delete("/api/v1/clusters/a"), 404, "not-found");
    }
}
