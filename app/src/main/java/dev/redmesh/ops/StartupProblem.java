package dev.redmesh.ops;

/**
 * A reason redmesh cannot start that the operator can fix, said in one sentence with the setting to
 * change; reported without a stack trace by {@link StartupProblemAnalyzer}.
 */
public class StartupProblem extends RuntimeException {

    private final String action;

    /**
     * @param description what is wrong, e.g. "Port 18000 (redmesh.proxy.xds-port) is already in use"
     * @param action      what to do about it
     */
    public StartupProblem(String description, String action) {
        super(description);
        this.action = action;
    }

    public StartupProblem(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
