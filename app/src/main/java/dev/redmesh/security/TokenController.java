package dev.redmesh.security;

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

    record TokenRequest(String name, Role role, Instant expiresAt) {
    }

    @PostMapping
    @Operation(summary = "Create a token; the answer holds its value, which cannot be read again")
    ResponseEntity<TokenService.Issued> create(@RequestBody TokenRequest request) {
        Caller by = Caller.current().orElseThrow();
        TokenService.Issued issued = tokens.create(request.name(), request.role(), request.expiresAt(), by);
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
