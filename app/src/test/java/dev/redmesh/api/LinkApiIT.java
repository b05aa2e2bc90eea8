package dev.redmesh.api;

import static dev.redmesh.testing.Problems.assertFieldError;
import static dev.redmesh.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.DatabaseSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

@AppIT
class LinkApiIT {

    @Autowired
    DataSource dataSource;
    @Autowired
    Api api;

    @BeforeEach
    void setUp() {
        api.put("/api/v1/regions/eu-west-1", "{}");
        for (String cluster : new String[] {"a", "b", "c"}) {
            api.put("/api/v1/clusters/" + cluster, "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}");
        }
    }

    @Test
    void explicitLinkIsCreatedOnceAndListedWithFilters() {
        Api.Response created = api.post("/api/v1/links", """
                {"source":"a","target":"b","mode":"PSYNC","filters":{"include":["order:*"],"exclude":["order:tmp:*"]}}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode link = created.json();
        assertThat(link.path("id").asString()).isEqualTo("a.b");
        assertThat(link.path("origin").asString()).isEqualTo("EXPLICIT");
        assertThat(link.path("filters").path("include").get(0).asString()).isEqualTo("order:*");
        assertThat(link.path("lagMs").isNull()).as("lag is unknown until a worker reports it").isTrue();

        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\"}"), 409, "conflict");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);

        api.post("/api/v1/links", "{\"source\":\"b\",\"target\":\"c\",\"mode\":\"PROXY_MIRROR\"}");
        assertThat(api.get("/api/v1/links?source=b").json().size()).isEqualTo(1);
        assertThat(api.get("/api/v1/links?target=b").json().get(0).path("id").asString()).isEqualTo("a.b");
        assertThat(api.get("/api/v1/links?source=a&target=c").json().size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "source equals target | {\"source\":\"a\",\"target\":\"a\"}                 | target",
            "unknown source       | {\"source\":\"zz\",\"target\":\"a\"}                | source",
            "unknown target       | {\"source\":\"a\",\"target\":\"zz\"}                | target",
            "missing source       | {\"target\":\"a\"}                                  | source",
            "invalid target name  | {\"source\":\"a\",\"target\":\"B!\"}                | target",
            "unknown mode         | {\"source\":\"a\",\"target\":\"b\",\"mode\":\"SYNC\"} | mode",
            "empty pattern        | {\"source\":\"a\",\"target\":\"b\",\"filters\":{\"include\":[\"\"]}} | filters.include[0]"})
    void badLinkIs400AndStoresNothing(String why, String body, String field) {
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertFieldError(api.post("/api/v1/links", body), field);
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void unknownLinkIs404() {
        assertProblem(api.get("/api/v1/links/a.zz"), 404, "not-found");
        assertProblem(api.post("/api/v1/links/a.zz/pause", ""), 404, "not-found");
        assertProblem(api.delete("/api/v1/links/a.zz"), 404, "not-found");
    }

    @Test
    void pauseAndResumeFollowTheStateMachineAndAreRecorded() {
        api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\"}");
        assertThat(api.post("/api/v1/links/a.b/pause", "").json().path("state").asString()).isEqualTo("PAUSED");
        assertThat(api.post("/api/v1/links/a.b/pause", "").json().path("state").asString()).isEqualTo("PAUSED");
        JsonNode resumed = api.post("/api/v1/links/a.b/resume", "").json();
        assertThat(resumed.path("state").asString()).isEqualTo("PENDING");
        // the link's reason is what it waits for now (here: clusters "h:1" that no poll reaches); who resumed it is on the timeline
        assertThat(resumed.path("stateReason").asString()).satisfiesAnyOf(
                r -> assertThat(r).startsWith("resumed by "), r -> assertThat(r).contains("not reachable"));

        JsonNode events = api.get("/api/v1/events?type=LINK_STATE&subject=a.b").json();
        assertThat(events.size()).as("pausing twice records one transition").isEqualTo(2);
        assertThat(events.get(0).path("details").path("to").asString()).isEqualTo("PENDING");
        assertThat(events.get(0).path("details").path("reason").asString()).startsWith("resumed by ");
        assertThat(events.get(1).path("details").path("to").asString()).isEqualTo("PAUSED");
    }

    @Test
    void explicitLinksAreDeletedButMeshLinksOnlyGoWithTheMesh() {
        api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\"}");
        assertThat(api.delete("/api/v1/links/a.b").status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/links/a.b"), 404, "not-found");

        api.put("/api/v1/clusters/b", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/c", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"],\"mesh\":\"m\"}");
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        assertProblem(api.delete("/api/v1/links/b.c"), 409, "conflict");
        assertThat(DatabaseSnapshot.take(dataSource)).isEqualTo(before);
    }

    @Test
    void eventsRejectUnknownTypesAndLimits() {
        assertFieldError(api.get("/api/v1/events?type=NOPE"), "type");
        assertFieldError(api.get("/api/v1/events?limit=0"), "limit");
        assertFieldError(api.get("/api/v1/events?limit=abc"), "limit");
    }
}
