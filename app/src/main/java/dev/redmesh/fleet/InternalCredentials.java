package dev.redmesh.fleet;

import dev.redmesh.security.TokenService;

import dev.redmesh.identity.Role;

import dev.redmesh.worker.FleetCredentials;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Credentials for this process's own calls to its own API, made at start and never written anywhere. */
@Configuration(proxyBeanMethods = false)
class InternalCredentials {

    /** The all-in-one process's worker agent heartbeats to its own control plane as a worker. */
    @Bean
    FleetCredentials localWorkerCredentials(TokenService tokens) {
        String token = tokens.internalCredential("local-worker", Role.WORKER);
        return () -> token;
    }
}
