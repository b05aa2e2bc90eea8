package dev.redmesh.security;

import dev.redmesh.identity.Role;

import jakarta.servlet.DispatcherType;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The control plane's filter chain: callers identified by {@link CallerFilter}, every request
 * authorized by the {@link AccessPolicy} table, nothing kept in an HTTP session, 401/403 as problem
 * documents ({@link StatelessApi}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * The dashboard loads only its own scripts and styles, talks only to its own origin, and cannot be
     * framed; inline styles stay allowed (uPlot and the Swagger UI set them).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenService tokens, SessionService sessions, ObjectMapper json,
                                    AuthFailureLimiter failures,
                                    @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers)
            throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        StatelessApi.configure(http, problems, "this needs a token: 'Authorization: Bearer <token>' or a dashboard sign-in")
                .addFilterBefore(new CallerFilter(tokens, sessions, problems, failures), AnonymousAuthenticationFilter.class)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .authorizeHttpRequests(authorize -> {
                    // an error page, a forward, and the second dispatch of an async request (a long poll's
                    // answer) were authorized when the request came in
                    authorize.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD, DispatcherType.ASYNC).permitAll();
                    AccessPolicy.API.forEach(rule -> apply(authorize, rule));
                    // an API operation without a rule is closed to everyone (the OpenAPI policy test names
                    // it); a path or method that serves nothing goes on to its 404 or 405
                    authorize.requestMatchers("/api/**").access((authentication, context) ->
                            new AuthorizationDecision(!servesSomething(handlers, context.getRequest())
                                    && authentication.get() instanceof CallerAuthentication));
                    AccessPolicy.OTHER.forEach(rule -> apply(authorize, rule));
                    // the dashboard's other static files, and 404s for paths that do not exist
                    authorize.anyRequest().permitAll();
                });
        return http.build();
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<RequestLimitFilter> requestLimits(RequestLimits limits, ObjectMapper json,
                                                                                                 io.micrometer.core.instrument.MeterRegistry meters) {
        return RequestLimitFilter.registration(limits, json, meters);
    }

    private static boolean servesSomething(RequestMappingHandlerMapping handlers, jakarta.servlet.http.HttpServletRequest request) {
        try {
            return handlers.getHandler(request) != null;
        } catch (Exception noSuchOperation) {
            return false; // e.g. a method the path does not take: MVC answers 405
        }
    }

    private static void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry authorize,
                              AccessPolicy.Rule rule) {
        var matcher = rule.method() == null ? authorize.requestMatchers(rule.pattern())
                : authorize.requestMatchers(rule.method(), rule.pattern());
        if (rule.access() == AccessPolicy.Access.PUBLIC) {
            matcher.permitAll();
        } else {
            matcher.hasAnyRole(rule.access().roles().stream().map(Role::name).toArray(String[]::new));
        }
    }
}
