package dev.redmesh.testing;

import java.util.List;

/** The credentials every test installation runs with: a known admin token and secrets key. */
public final class TestSecurity {

    public static final String ADMIN_TOKEN = "rm-test-admin-token-4c1d9b2e77a0";
    /** base64 of 32 bytes: 0x01, 0x02, ... 0x20. */
    public static final String SECRET_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private TestSecurity() {
    }

    /** The same as command-line arguments, for processes a test starts itself. */
    public static List<String> args() {
        return List.of("--redmesh.security.admin-token=" + ADMIN_TOKEN, "--redmesh.security.secret-key=" + SECRET_KEY);
    }

    /** As Spring properties, for {@code @SpringBootTest(properties = ...)}. */
    public static final String ADMIN_TOKEN_PROPERTY = "redmesh.security.admin-token=" + ADMIN_TOKEN;
    public static final String SECRET_KEY_PROPERTY = "redmesh.security.secret-key=" + SECRET_KEY;
}
