package dev.redmesh.security;

import dev.redmesh.identity.TokenScope;

import dev.redmesh.identity.Role;

import dev.redmesh.identity.Caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.audit.AuditTrail;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.FieldProblems;
import dev.redmesh.web.ResourceNames;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * API tokens: issued with a value shown once ({@code rm_<id>_<secret>}), stored as the id and a
 * SHA-256 of the secret, verified by looking the id up and comparing hashes in constant time, revoked
 * by id. Verified tokens are trusted for {@code redmesh.security.token-cache-ttl} before Postgres is
 * asked again.
 *
 * <p>Besides stored tokens: the bootstrap admin token from configuration, and credentials that exist
 * only in this process's memory for its own callers (its worker agent, the demo).
 */
@Service
public class TokenService implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    private static final String PREFIX = "rm_";
    private static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);
    static final String BOOTSTRAP_NAME = "bootstrap-admin";

    private final ApiTokenRepository tokens;
    private final AuditTrail audit;
    private final SecurityProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final byte[] bootstrapHash;
    private final Map<String, Caller> internal = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Caller caller, long validUntilNanos) {
    }

    /** A new token: {@code value} is shown this once and cannot be recovered. */
    public record Issued(String id, String name, Role role, String value, @Nullable Instant expiresAt,
                         @Nullable TokenScope scope) {
    }

    /** Published when a token is revoked, so that whatever this process holds open for it (xDS streams) ends. */
    public record Revoked(String tokenId) {
    }

    private final org.springframework.context.ApplicationEventPublisher publisher;

    TokenService(ApiTokenRepository tokens, AuditTrail audit, SecurityProperties properties, TransactionTemplate transactions,
                 Clock clock, org.springframework.context.ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.tokens = tokens;
        this.audit = audit;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        this.bootstrapHash = properties.adminToken() == null ? null : sha256(properties.adminToken());
    }

    /** With no admin token configured and none stored, makes one, so that a fresh install can be administered. */
    @Override
    public void afterSingletonsInstantiated() {
        transactions.executeWithoutResult(tx -> tokens.findAllByOrderByCreatedAtAsc().stream()
                .filter(t -> (t.getRole() == Role.WORKER || t.getRole() == Role.PROXY) && t.getScope().unscoped()
                        && t.usableAt(clock.instant()))
                .forEach(t -> log.warn("Token '{}' ({}) was made before tokens had scopes and may act as any {}: revoke it and "
                        + "issue one for the worker id or pool (\"worker\") or the region (\"proxy\") it serves "
                        + "(docs/security.md)", t.getName(), t.getRole(), t.getRole() == Role.WORKER ? "worker" : "proxy")));
        if (properties.adminToken() != null) {
            return;
        }
        Issued issued = transactions.execute(tx -> tokens.existsByRoleAndRevokedAtIsNull(Role.ADMIN) ? null
                : issue(BOOTSTRAP_NAME + "-" + HexFormat.of().formatHex(randomBytes(3)), Role.ADMIN, null, TokenScope.NONE,
                "redmesh"));
        if (issued == null) {
            return;
        }
        try {
            SecretKeys.PrivateFiles.write(properties.bootstrapTokenFile(), issued.value() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the bootstrap admin token to " + properties.bootstrapTokenFile(), e);
        }
        log.warn("No admin token was configured: created admin token '{}' and wrote it to {} (readable by this user only). "
                + "Sign in to the dashboard or call the API with it; revoke it once you have made your own.",
                issued.name(), properties.bootstrapTokenFile().toAbsolutePath());
    }

    @Transactional
    public Issued create(String name, Role role, Instant expiresAt, TokenScope scope, Caller by) {
        FieldProblems problems = new FieldProblems();
        ResourceNames.check("name", name, problems);
        if (role == null) {
            problems.add("role", "is required: one of VIEWER, OPERATOR, ADMIN, WORKER, PROXY");
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            problems.add("expiresAt", "must be in the future");
        }
        checkScope(role, scope, problems);
        problems.throwIfAny();
        if (tokens.existsByName(name)) {
            throw ApiException.conflict("a token named '" + name + "' exists; revoke it or choose another name");
        }
        Issued issued = issue(name, role, expiresAt, scope, by.name());
        audit.changed("token", issued.id(), null, view(get(issued.id())));
        return issued;
    }

    /**
     * A WORKER token acts as one worker id or a prefixed pool of them; a PROXY token serves one region
     * (its node ids optionally by pattern); no other role takes a scope.
     */
    private static void checkScope(Role role, TokenScope scope, FieldProblems problems) {
        if (role == Role.WORKER) {
            if (scope.worker() == null) {
                problems.add("worker", "a WORKER token acts as one worker: name its id, or a prefix ending in * for a pool");
            } else if (!TokenScope.WORKER_PATTERN.matcher(scope.worker()).matches()) {
                problems.add("worker", "must be a worker id, or a prefix ending in * (" + TokenScope.WORKER_PATTERN.pattern() + ")");
            }
        } else if (scope.worker() != null) {
            problems.add("worker", "only a WORKER token acts as a worker");
        }
        if (role == Role.PROXY) {
            if (scope.proxyRegion() == null) {
                problems.add("proxy.region", "a PROXY token serves the proxies of one region: name it");
            } else {
                ResourceNames.check("proxy.region", scope.proxyRegion(), problems);
            }
            if (scope.proxyNode() != null && !TokenScope.NODE_PATTERN.matcher(scope.proxyNode()).matches()) {
                problems.add("proxy.node", "must be a node id, or a prefix ending in *");
            }
        } else if (scope.proxyRegion() != null || scope.proxyNode() != null) {
            problems.add("proxy", "only a PROXY token serves proxies");
        }
    }

    /** A token as the audit trail and the API show it: never its value or hash. */
    record TokenView(String id, String name, Role role, Instant createdAt, @Nullable String createdBy,
                     @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt,
                     @Nullable String worker, @Nullable ProxyScopeView proxy) {
    }

    record ProxyScopeView(String region, @Nullable String node) {
    }

    static TokenView view(ApiToken t) {
        TokenScope scope = t.getScope();
        return new TokenView(t.getId(), t.getName(), t.getRole(), t.getCreatedAt(), t.getCreatedBy(), t.getExpiresAt(),
                t.getLastUsedAt(), t.getRevokedAt(), scope.worker(),
                scope.proxyRegion() == null ? null : new ProxyScopeView(scope.proxyRegion(), scope.proxyNode()));
    }

    private Issued issue(String name, Role role, Instant expiresAt, TokenScope scope, String by) {
        String id = HexFormat.of().formatHex(randomBytes(8));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        tokens.save(new ApiToken(id, name, role, sha256(secret), clock.instant(), by, expiresAt, scope));
        return new Issued(id, name, role, PREFIX + id + "_" + secret, expiresAt, scope);
    }

    List<ApiToken> list() {
        return tokens.findAllByOrderByCreatedAtAsc();
    }

    ApiToken get(String id) {
        return tokens.findById(id).orElseThrow(() -> ApiException.notFound("token", id));
    }

    /** Revokes the token; this process stops accepting it at once, others within the cache time. */
    @Transactional
    public ApiToken revoke(String id) {
        ApiToken token = get(id);
        TokenView before = view(token);
        token.revoke(clock.instant());
        tokens.save(token);
        cache.values().removeIf(c -> id.equals(c.caller().tokenId()));
        audit.changed("token", id, before, view(token));
        publisher.publishEvent(new Revoked(id));
        return token;
    }

    /** A credential valid only inside this process, for its own calls to its own API. */
    public String internalCredential(String name, Role role) {
        String value = "rmi_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        internal.put(HexFormat.of().formatHex(sha256(value)), new Caller(name, role, null, Caller.Via.INTERNAL));
        return value;
    }

    /** The caller a presented bearer token stands for, if it is valid now. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        if (bootstrapHash != null && MessageDigest.isEqual(hash, bootstrapHash)) {
            return Optional.of(new Caller("admin-token", Role.ADMIN, null, Caller.Via.BEARER));
        }
        String key = HexFormat.of().formatHex(hash);
        Caller inProcess = internal.get(key);
        if (inProcess != null) {
            return Optional.of(inProcess);
        }
        Cached cached = cache.get(key);
        if (cached != null && System.nanoTime() < cached.validUntilNanos()) {
            return Optional.of(cached.caller());
        }
        Optional<Caller> verified = verifyStored(presented);
        verified.ifPresentOrElse(
                caller -> cache.put(key, new Cached(caller, System.nanoTime() + properties.tokenCacheTtl().toNanos())),
                () -> cache.remove(key));
        return verified;
    }

    private Optional<Caller> verifyStored(String presented) {
        if (!presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int split = presented.indexOf('_', PREFIX.length());
        if (split < 0) {
            return Optional.empty();
        }
        String id = presented.substring(PREFIX.length(), split);
        String secret = presented.substring(split + 1);
        return transactions.execute(tx -> {
            Optional<ApiToken> stored = tokens.findById(id);
            Instant now = clock.instant();
            // the secret's hash is compared in full whatever it holds, so timing says nothing of the stored hash
            boolean matches = stored.isPresent() && MessageDigest.isEqual(sha256(secret), stored.get().getSecretHash());
            if (!matches || !stored.get().usableAt(now)) {
                return Optional.empty();
            }
            ApiToken token = stored.get();
            if (token.getLastUsedAt() == null || token.getLastUsedAt().plus(LAST_USED_EVERY).isBefore(now)) {
                token.usedAt(now);
            }
            return Optional.of(new Caller(token.getName(), token.getRole(), token.getId(), Caller.Via.BEARER, token.getScope()));
        });
    }

    /** The caller a stored token stands for while it is usable (a dashboard session, an xDS stream name it by id). */
    public Optional<Caller> byTokenId(String id, Caller.Via via) {
        String key = "id:" + id;
        Cached cached = cache.get(key);
        if (cached != null && System.nanoTime() < cached.validUntilNanos()) {
            return Optional.of(cached.caller());
        }
        Optional<Caller> caller = transactions.execute(tx -> tokens.findById(id)
                .filter(t -> t.usableAt(clock.instant()))
                .map(t -> new Caller(t.getName(), t.getRole(), t.getId(), via, t.getScope())));
        caller.ifPresentOrElse(c -> cache.put(key, new Cached(c, System.nanoTime() + properties.tokenCacheTtl().toNanos())),
                () -> cache.remove(key));
        return caller;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The configured admin token's hash, null when none is configured: a session it opened lasts while it matches. */
    byte[] adminTokenHash() {
        return bootstrapHash == null ? null : bootstrapHash.clone();
    }

    private static byte[] sha256(String value) {
        return StatelessApi.sha256(value);
    }
}
