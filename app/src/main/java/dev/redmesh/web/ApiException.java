package dev.redmesh.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A request the API refuses for a reason the client can act on; mapped to a 4xx problem (503 while shutting down). */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final ProblemType type;
    private final List<FieldProblem> fieldProblems;

    protected ApiException(HttpStatus status, ProblemType type, String detail, List<FieldProblem> fieldProblems) {
        super(detail);
        this.status = status;
        this.type = type;
        this.fieldProblems = List.copyOf(fieldProblems);
    }

    public static ApiException notFound(String kind, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, kind + " '" + id + "' does not exist", List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, ProblemType.CONFLICT, detail, List.of());
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHORIZED, detail, List.of());
    }

    /** The server cannot answer now but another one (or this one, later) can: 503, retry. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, detail, List.of());
    }

    public static ApiException tooManyRequests(String detail) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, ProblemType.TOO_MANY_REQUESTS, detail, List.of());
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.UNAVAILABLE, detail, List.of());
    }

    public static ApiException invalid(List<FieldProblem> problems) {
        String detail = problems.size() == 1
                ? problems.get(0).field() + ": " + problems.get(0).message()
                : problems.size() + " fields are invalid";
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemType.VALIDATION, detail, problems);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldProblem(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }
}
