package dev.redmesh.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells whoever started redmesh where to point a browser, once it really answers. */
@Component
class StartupAnnouncement {

    private static final Logger log = LoggerFactory.getLogger(StartupAnnouncement.class);

    private final Environment environment;

    StartupAnnouncement(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String base = "http://localhost:" + port;
        log.info("redmesh is ready — dashboard: {}/  API: {}/swagger-ui.html  health: {}/actuator/health",
                base, base, base);
        if (environment.getProperty("redmesh.security.admin-token", "").isBlank()) {
            log.info("Sign in with an admin token: a first start without REDMESH_SECURITY_ADMIN_TOKEN wrote one to {}",
                    environment.getProperty("redmesh.security.bootstrap-token-file", "./.redmesh/admin-token"));
        }
    }
}
