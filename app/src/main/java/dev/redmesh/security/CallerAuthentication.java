package dev.redmesh.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A verified {@link Caller} as Spring Security sees it: authorities {@code ROLE_<r>} for every role its role includes. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(caller.role().authorities());
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.name();
    }
}
