package dev.redmesh.web;

import java.util.regex.Pattern;

/** Names of regions, clusters and meshes: DNS-label-like, so they are safe in URLs, Redis keys and metric tags. */
public final class ResourceNames {

    public static final String PATTERN = "[a-z0-9][a-z0-9-]{0,62}";
    private static final Pattern NAME = Pattern.compile(PATTERN);

    private ResourceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Adds a problem for {@code field} unless {@code name} is a valid resource name. */
    public static void check(String field, String name, FieldProblems problems) {
        if (name == null || name.isEmpty()) {
            problems.add(field, "is required");
        } else if (!isValid(name)) {
            problems.add(field, "must match " + PATTERN + " (lower-case letters, digits and '-', at most 63 characters)");
        }
    }

    /** Throws a 400 unless the name taken from the URL path is valid. */
    public static void requireValidPath(String name) {
        FieldProblems problems = new FieldProblems();
        check("name", name, problems);
        problems.throwIfAny();
    }
}
