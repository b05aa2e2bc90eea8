package dev.redmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {
    }

    /** Asserts status, content type, stable type URI and a non-empty explanation; returns the body. */
    public static JsonNode assertProblem(Api.Response response, int status, String typeSlug) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).as("content type of %s", response).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.path("type").asString()).isEqualTo("urn:redmesh:problem:" + typeSlug);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        return body;
    }

    /** Asserts a 400 validation problem naming {@code field}. */
    public static void assertFieldError(Api.Response response, String field) {
        JsonNode body = assertProblem(response, 400, "validation");
        assertThat(body.path("errors").valueStream().map(e -> e.path("field").asString()))
                .as("field errors of %s", response).contains(field);
    }
}
