package dev.redmesh.web;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request so the client sees them all at once, not one per try. */
public final class FieldProblems {

    private final List<FieldProblem> problems = new ArrayList<>();

    public FieldProblems add(String field, String message) {
        problems.add(new FieldProblem(field, message));
        return this;
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a 400 problem listing every field collected, if any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
