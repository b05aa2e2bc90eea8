package dev.redmesh.web;

/** One invalid field of a request: {@code field} is a JSON path such as {@code seeds[1]}. */
public record FieldProblem(String field, String message) {
}
