package dev.redmesh.security;

import dev.redmesh.identity.Role;

import dev.redmesh.identity.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dashboard sessions, kept in Postgres so that every control plane behind a load balancer knows them:
 * a sign-in exchanges an API token for a cookie holding 32 random bytes, of which only a hash is
 * stored. A session ends when its user signs out (on every control plane at once, or within
 * {@code redmesh.security.token-cache-ttl} on those that had just checked it), when it expires, when
 * its token is revoked, or — opened with the configured admin token — when that token is replaced.
 * Requests that change something must also carry a CSRF token derived from the cookie, which a page
 * of another site can neither read nor compute. Machine tokens (WORKER, PROXY) open no sessions.
 */
@Service
class SessionService {

    static final String COOKIE = "redmesh_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String COOKIE_PREFIX = "rms_";
    /** Expired sessions are kept this long (for the audit trail's sake), then deleted at a sign-in. */
    private static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);

    private final SecretCipher keys;
    private final TokenService tokens;
    private final DashboardSessionRepository sessions;
    private final SecurityProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** An open session as last read from Postgres; its token is checked at every use (a revocation shows at once). */
    private record Cached(DashboardSession session, long validUntilNanos) {
    }

    record Session(String cookie, String csrfToken, Caller caller, Instant expiresAt) {
    }

    /** Why a caller gets no session. */
    enum Refusal { MACHINE_TOKEN, IN_PROCESS }

    SessionService(SecretCipher keys, TokenService tokens, DashboardSessionRepository sessions, SecurityProperties properties,
                   TransactionTemplate transactions, Clock clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.sessions = sessions;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A session for a person who just proved a token; a machine token or an in-process credential gets a refusal. */
    Session open(Caller caller) throws RefusedException {
        if (caller.role() == Role.WORKER || caller.role() == Role.PROXY) {
            throw new RefusedException(Refusal.MACHINE_TOKEN);
        }
        byte[] adminTokenHash = null;
        if (caller.tokenId() == null) {
            if (caller.via() != Caller.Via.BEARER) {
                throw new RefusedException(Refusal.IN_PROCESS);
            }
            adminTokenHash = tokens.adminTokenHash();
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String cookie = COOKIE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expires = now.plus(properties.sessionTtl());
        DashboardSession row = new DashboardSession(StatelessApi.sha256(cookie), caller.tokenId(), adminTokenHash, caller.name(),
                caller.role(), now, expires);
        transactions.executeWithoutResult(tx -> {
            sessions.deleteExpiredBefore(now.minus(KEPT_AFTER_EXPIRY));
            sessions.save(row);
        });
        Caller sessionCaller = new Caller(caller.name(), caller.role(), caller.tokenId(), Caller.Via.SESSION);
        return new Session(cookie, csrf(cookie), sessionCaller, expires);
    }

    static final class RefusedException extends Exception {
        private final Refusal reason;

        RefusedException(Refusal reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        Refusal reason() {
            return reason;
        }
    }

    /** The caller a session cookie stands for, while the session is open and its token usable. */
    Optional<Caller> verify(String cookie) {
        if (!cookie.startsWith(COOKIE_PREFIX) || cookie.length() > 100) {
            return Optional.empty();
        }
        String key = HexFormat.of().formatHex(StatelessApi.sha256(cookie));
        Cached cached = cache.get(key);
        DashboardSession session;
        if (cached != null && System.nanoTime() < cached.validUntilNanos()) {
            session = cached.session();
        } else {
            session = transactions.execute(tx -> sessions.findById(StatelessApi.sha256(cookie)).orElse(null));
            if (session == null) {
                cache.remove(key);
                return Optional.empty();
            }
            cache.put(key, new Cached(session, System.nanoTime() + properties.tokenCacheTtl().toNanos()));
        }
        return session.openAt(clock.instant()) ? callerOf(session) : Optional.empty();
    }

    private Optional<Caller> callerOf(DashboardSession session) {
        if (session.getTokenId() != null) {
            return tokens.byTokenId(session.getTokenId(), Caller.Via.SESSION);
        }
        byte[] current = tokens.adminTokenHash();
        return current != null && MessageDigest.isEqual(current, session.getAdminTokenHash())
                ? Optional.of(new Caller(session.getName(), Role.ADMIN, null, Caller.Via.SESSION))
                : Optional.empty();
    }

    /** Signing out: the session ends now, here and (after their cache time) on every other control plane. */
    void close(String cookie) {
        cache.remove(HexFormat.of().formatHex(StatelessApi.sha256(cookie)));
        transactions.executeWithoutResult(tx -> sessions.findById(StatelessApi.sha256(cookie)).ifPresent(s -> {
            s.revoke(clock.instant());
            sessions.save(s);
        }));
    }

    String csrf(String cookie) {
        return b64(keys.derive("csrf", cookie.getBytes(StandardCharsets.UTF_8)));
    }

    boolean csrfMatches(String cookie, String presented) {
        return presented != null && MessageDigest.isEqual(csrf(cookie).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
