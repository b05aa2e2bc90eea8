package dev.redmesh.api;

import static dev.redmesh.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;


import org.springframework.beans.factory.annotation.Autowired;

@AppIT
class MeshLinksIT {

    @Autowired
    Api api;

    @BeforeEach
    void setUp() {
        api.put("/api/v1/regions/eu-west-1", "{}");
        api.put("/api/v1/regions/us-east-1", "{}");
        api.put("/api/v1/regions/ap-south-1", "{}");
    }

    private Api.Response joinMesh(String cluster, String region, String mesh) {
        String meshJson = mesh == null ? "null" : "\"" + mesh + "\"";
        return api.put("/api/v1/clusters/" + cluster, """
                {"region":"%s","mode":"STANDALONE","seeds":["127.0.0.1:6379"],"mesh":%s}""".formatted(region, meshJson));
    }

    private List<String> linkIds() {
        List<String> ids = new ArrayList<>();
        api.get("/api/v1/links").json().forEach(l -> ids.add(l.path("id").asString()));
        return ids;
    }

    @Test
    void twoMembersGetTwoLinksAndAThirdMakesSix() {
        joinMesh("orders-eu", "eu-west-1", "orders");
        assertThat(linkIds()).isEmpty();
        joinMesh("orders-us", "us-east-1", "orders");
        assertThat(linkIds()).containsExactlyInAnyOrder("orders-eu.orders-us", "orders-us.orders-eu");

        joinMesh("orders-ap", "ap-south-1", "orders");
        assertThat(linkIds()).containsExactlyInAnyOrder(
                "orders-eu.orders-us", "orders-us.orders-eu",
                "orders-eu.orders-ap", "orders-ap.orders-eu",
                "orders-us.orders-ap", "orders-ap.orders-us");

        JsonNode link = api.get("/api/v1/links/orders-eu.orders-ap").json();
        assertThat(link.path("source").asString()).isEqualTo("orders-eu");
        assertThat(link.path("target").asString()).isEqualTo("orders-ap");
        assertThat(link.path("state").asString()).isEqualTo("PENDING");
        assertThat(link.path("mode").asString()).isEqualTo("PSYNC");
        assertThat(link.path("origin").asString()).isEqualTo("MESH");

        JsonNode mesh = api.get("/api/v1/meshes/orders").json();
        assertThat(mesh.path("members").size()).isEqualTo(3);
        assertThat(mesh.path("links").size()).isEqualTo(6);
        assertThat(api.get("/api/v1/events?type=LINK_CREATED").json().size()).isEqualTo(6);
    }

    @Test
    void reApplyingTheSameMembershipChangesNothing() {
        joinMesh("a", "eu-west-1", "m");
        joinMesh("b", "us-east-1", "m");
        assertThat(joinMesh("a", "eu-west-1", "m").status()).isEqualTo(200);
        assertThat(linkIds()).hasSize(2);
        assertThat(api.get("/api/v1/events?type=LINK_CREATED").json().size()).isEqualTo(2);
    }

    @Test
    void leavingTheMeshRemovesItsLinksAndSwitchingMeshesRelinks() {
        joinMesh("a", "eu-west-1", "m1");
        joinMesh("b", "us-east-1", "m1");
        joinMesh("c", "ap-south-1", "m1");
        joinMesh("x", "ap-south-1", "m2");

        joinMesh("c", "ap-south-1", null);
        assertThat(linkIds()).containsExactlyInAnyOrder("a.b", "b.a");
        assertThat(api.get("/api/v1/events?type=LINK_DELETED").json().size()).isEqualTo(4);

        joinMesh("b", "us-east-1", "m2");
        assertThat(linkIds()).containsExactlyInAnyOrder("b.x", "x.b");
        JsonNode alone = api.get("/api/v1/meshes/m1").json();
        assertThat(alone.path("members").size()).as("a mesh of one has no links").isEqualTo(1);
        assertThat(alone.path("links").size()).isZero();
        assertThat(api.get("/api/v1/meshes").json().size()).isEqualTo(2);

        joinMesh("a", "eu-west-1", null);
        assertProblem(api.get("/api/v1/meshes/m1"), 404, "not-found");
    }

    @Test
    void anExplicitLinkIsKeptWhenItsPairJoinsAndLeavesAMesh() {
        api.put("/api/v1/clusters/a", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:1\"]}");
        api.put("/api/v1/clusters/b", "{\"region\":\"us-east-1\",\"mode\":\"STANDALONE\",\"seeds\":[\"h:2\"]}");
        assertThat(api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\"}").status()).isEqualTo(201);

        joinMesh("a", "eu-west-1", "m");
        joinMesh("b", "us-east-1", "m");
        assertThat(linkIds()).containsExactlyInAnyOrder("a.b", "b.a");
        assertThat(api.get("/api/v1/links/a.b").json().path("origin").asString()).isEqualTo("EXPLICIT");

        joinMesh("b", "us-east-1", null);
        assertThat(linkIds()).containsExactly("a.b");
    }

    @Test
    void clustersJoiningConcurrentlyAreAllLinkedPairwise() throws Exception {
        int members = 8;
        ExecutorService pool = Executors.newFixedThreadPool(members);
        try {
            List<Future<Api.Response>> joins = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                String name = "c" + i;
                joins.add(pool.submit(() -> joinMesh(name, "eu-west-1", "busy")));
            }
            for (Future<Api.Response> join : joins) {
                assertThat(join.get().status()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(linkIds()).hasSize(members * (members - 1));
    }
}
