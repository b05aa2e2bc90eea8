package dev.redmesh.security;

import dev.redmesh.identity.Caller;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A verified {@link Caller} as Spring Security sees it: authorities {@code ROLE_<r>} for every role its role includes. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(caller.role().granted().stream()
                .map(role -> (org.springframework.security.core.GrantedAuthority)
                        new org.springframework.security.core.authority.SimpleGrantedAuthority("ROLE_" + role.name()))
                .toList());
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
