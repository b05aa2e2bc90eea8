package dev.redmesh.security;

import dev.redmesh.identity.TokenScope;

import dev.redmesh.identity.Role;

import dev.redmesh.identity.Caller;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "tokens", description = "API tokens: create (the value is shown once), list, revoke")
class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * @param worker for a WORKER token: the worker id it acts as, or a prefix ending in * for a pool
     * @param proxy  for a PROXY token: the region whose proxies it serves, and optionally their node ids
     */
    record TokenRequest(String name, Role role, Instant expiresAt, String worker, ProxyScope proxy) {
    }

    record ProxyScope(String region, String node) {
    }

    @PostMapping
    @Operation(summary = "Create a token; the answer holds its value, which cannot be read again. A WORKER token names "
            + "the worker it acts as (\"worker\"), a PROXY token the region it serves (\"proxy\")")
    ResponseEntity<TokenService.Issued> create(@RequestBody TokenRequest request) {
        Caller by = Caller.current().orElseThrow();
        TokenScope scope = new TokenScope(request.worker(), request.proxy() == null ? null : request.proxy().region(),
                request.proxy() == null ? null : request.proxy().node());
        TokenService.Issued issued = tokens.create(request.name(), request.role(), request.expiresAt(), scope, by);
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.id())).body(issued);
    }

    @GetMapping
    @Operation(summary = "List tokens (names, roles, use; never values)")
    List<TokenService.TokenView> list() {
        return tokens.list().stream().map(TokenService::view).toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a token: refused at once by this control plane, by others within seconds")
    void revoke(@PathVariable String id) {
        tokens.revoke(id);
    }
}
