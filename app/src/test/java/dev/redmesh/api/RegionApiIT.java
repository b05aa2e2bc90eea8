package dev.redmesh.api;

import static dev.redmesh.testing.Problems.assertFieldError;
import static dev.redmesh.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.DatabaseSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

@AppIT
class RegionApiIT {

    @Autowired
    DataSource dataSource;
    @Autowired
    Api api;

    @Test
    void putCreatesWith201ThenUpdatesWith200() {
        Api.Response created = api.put("/api/v1/regions/eu-west-1", "{\"displayName\":\"Ireland\",\"cloud\":\"aws\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asString()).isEqualTo("eu-west-1");

        Api.Response again = api.put("/api/v1/regions/eu-west-1", "{\"displayName\":\"Dublin\",\"cloud\":\"aws\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/regions/eu-west-1").json().path("displayName").asString()).isEqualTo("Dublin");
        assertThat(api.get("/api/v1/regions").json().size()).isEqualTo(1);
    }

    @Test
    void deleteRemovesARegionWithoutClustersAndRefusesOneWithClusters() {
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:6379\"]}");

        assertThat(api.delete("/api/v1/regions/r1").status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/regions/r1"), 404, "not-found");

        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.delete("/api/v1/regions/r2"), 409, "conflict");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void unknownRegionIs404() {
        assertProblem(api.get("/api/v1/regions/nowhere"), 404, "not-found");
        assertProblem(api.delete("/api/v1/regions/nowhere"), 404, "not-found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EU-WEST", "-leading-dash", "under_score", "a.b",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void invalidNameIsRejectedAndNothingStored(String name) {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.put("/api/v1/regions/" + name, "{}"), "name");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void invalidCloudIsRejected() {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.put("/api/v1/regions/r1", "{\"cloud\":\"AWS!\"}"), "cloud");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void overlongDisplayNameIsRejected() {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.put("/api/v1/regions/r1", "{\"displayName\":\"" + "x".repeat(201) + "\"}"), "displayName");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "[]", "{\"cloud\": 5}", "{\"clouds\":\"aws\"}", ""})
    void malformedBodyIs400AndNothingStored(String body) {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.put("/api/v1/regions/r1", body), 400, "malformed-request");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }
}
