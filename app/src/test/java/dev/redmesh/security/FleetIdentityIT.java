package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Problems;
import dev.redmesh.worker.OrderSeal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 19, must-show 2: a machine token is one identity. A WORKER token issued for worker A cannot
 * heartbeat as, read the orders of, report for or remove worker B; a pool token acts as the ids of
 * its prefix only. (PROXY tokens: {@code ProxyIdentityIT}.)
 */
@AppIT
class FleetIdentityIT {

    private static final String HEARTBEAT = """
            {"kind":"POOLED","address":"127.0.0.1:1","version":"test","assignments":[]}""";

    @Autowired
    Api api;

    private String token(String body) {
        Api.Response created = api.post("/api/v1/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("value").asString();
    }

    @Test
    void aWorkerTokenActsAsItsOwnWorkerOnly() {
        String tokenA = token("{\"name\":\"worker-a\",\"role\":\"WORKER\",\"worker\":\"id-a\"}");
        String tokenB = token("{\"name\":\"worker-b\",\"role\":\"WORKER\",\"worker\":\"id-b\"}");
        Api a = api.withToken(tokenA);
        Api b = api.withToken(tokenB);
        assertThat(a.put("/api/v1/fleet/workers/id-a", HEARTBEAT).status()).isEqualTo(200);
        assertThat(b.put("/api/v1/fleet/workers/id-b", HEARTBEAT).status()).isEqualTo(200);

        Problems.assertProblem(a.put("/api/v1/fleet/workers/id-b", HEARTBEAT), 403, "forbidden");
        Problems.assertProblem(a.get("/api/v1/fleet/workers/id-b/orders?waitMs=0"), 403, "forbidden");
        Problems.assertProblem(a.delete("/api/v1/fleet/workers/id-b"), 403, "forbidden");
        // a report for B's assignment inside A's own heartbeat changes nothing of B's
        String forged = """
                {"kind":"POOLED","address":"127.0.0.1:1","version":"test","assignments":[{"id":"x.y/0","epoch":9,
                "phase":"STREAMING","appliedOffset":1,"lagBytes":0,"lagMs":0,"opsPerSec":0,
                "divergence":{"replid":"r","fromOffset":1,"toOffset":2,"at":"2026-01-01T00:00:00Z"},
                "notes":["a forged resync"]}]}""";
        assertThat(a.put("/api/v1/fleet/workers/id-a", forged).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/events?type=DIVERGENCE").json().size()).as("no divergence recorded").isZero();
        assertThat(api.get("/api/v1/events?type=SYNC").json().size()).as("no note recorded").isZero();
        String flood = forged.replace("[\"a forged resync\"]", "[\"" + "x".repeat(2_001) + "\"]");
        Problems.assertFieldError(a.put("/api/v1/fleet/workers/id-a", flood), "assignments[0].notes");

        assertThat(api.get("/api/v1/fleet/workers").json().valueStream().map(w -> w.path("id").asString()))
                .as("B is still registered").contains("id-b");
        assertThat(b.delete("/api/v1/fleet/workers/id-b").status()).isEqualTo(204);
    }

    @Test
    void ordersAreSealedForTheTokenThatAsksAndOnlyThatOneOpensThem() {
        String tokenA = token("{\"name\":\"seal-a\",\"role\":\"WORKER\",\"worker\":\"seal-a\"}");
        String other = token("{\"name\":\"seal-a-too\",\"role\":\"WORKER\",\"worker\":\"seal-a\"}");
        String sealed = OrderSeal.seal(tokenA, "seal-a", "pw");
        assertThat(OrderSeal.open(tokenA, "seal-a", sealed)).isEqualTo("pw");
        assertThatThrownBy(() -> OrderSeal.open(other, "seal-a", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderSeal.open(tokenA, "seal-b", sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPoolTokenActsAsTheIdsOfItsPrefixOnly() {
        Api pool = api.withToken(token("{\"name\":\"pool\",\"role\":\"WORKER\",\"worker\":\"pool-a-*\"}"));
        assertThat(pool.put("/api/v1/fleet/workers/pool-a-1", HEARTBEAT).status()).isEqualTo(200);
        assertThat(pool.put("/api/v1/fleet/workers/pool-a-2", HEARTBEAT).status()).isEqualTo(200);
        Problems.assertProblem(pool.put("/api/v1/fleet/workers/pool-b-1", HEARTBEAT), 403, "forbidden");
        Problems.assertProblem(pool.put("/api/v1/fleet/workers/pool-a", HEARTBEAT), 403, "forbidden");
    }

    @Test
    void machineTokensNeedAScopeAndOthersTakeNone() {
        Problems.assertFieldError(api.post("/api/v1/tokens", "{\"name\":\"w\",\"role\":\"WORKER\"}"), "worker");
        Problems.assertFieldError(api.post("/api/v1/tokens", "{\"name\":\"w\",\"role\":\"WORKER\",\"worker\":\"*\"}"), "worker");
        Problems.assertFieldError(api.post("/api/v1/tokens", "{\"name\":\"p\",\"role\":\"PROXY\"}"), "proxy.region");
        Problems.assertFieldError(api.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"VIEWER\",\"worker\":\"x\"}"), "worker");
        assertThat(api.get("/api/v1/tokens").json().valueStream().map(t -> t.path("name").asString()))
                .doesNotContain("w", "p", "v");
    }
}
