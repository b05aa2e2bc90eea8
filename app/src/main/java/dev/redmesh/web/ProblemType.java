package dev.redmesh.web;

import java.net.URI;

/**
 * The stable problem {@code type} URIs the API answers with (RFC 9457). Clients may switch on
 * them; they never change once released. Documented in docs/api.md.
 */
public enum ProblemType {
    VALIDATION("validation", "Invalid request"),
    MALFORMED_REQUEST("malformed-request", "Malformed request"),
    UNAUTHORIZED("unauthorized", "Unauthorized"),
    FORBIDDEN("forbidden", "Forbidden"),
    NOT_FOUND("not-found", "Not found"),
    CONFLICT("conflict", "Conflict"),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type"),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large"),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests"),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable"),
    UNAVAILABLE("unavailable", "Service unavailable"),
    INTERNAL("internal", "Internal error");

    private final URI uri;
    private final String title;

    ProblemType(String slug, String title) {
        this.uri = URI.create("urn:redmesh:problem:" + slug);
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }
}
