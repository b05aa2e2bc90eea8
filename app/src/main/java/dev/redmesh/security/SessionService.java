package dev.redmesh.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Dashboard sessions without server-side state, so any control plane behind a load balancer accepts
 * them: a sign-in exchanges an API token for a cookie naming that token and an expiry, signed with a
 * key derived from the secrets key. Every request re-checks the named token, so revoking it ends its
 * sessions too. Requests that change something must also carry a CSRF token derived from the cookie,
 * which a page of another site can neither read nor compute.
 */
@Service
class SessionService {

    static final String COOKIE = "redmesh_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String ADMIN_TOKEN_SUBJECT = "a:";
    private static final String TOKEN_SUBJECT = "t:";

    private final SecretCipher keys;
    private final TokenService tokens;
    private final SecurityProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    record Session(String cookie, String csrfToken, Caller caller, Instant expiresAt) {
    }

    SessionService(SecretCipher keys, TokenService tokens, SecurityProperties properties, Clock clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    /** A session for a caller who just proved a token; in-process credentials get none. */
    Optional<Session> open(Caller caller) {
        String subject;
        if (caller.tokenId() != null) {
            subject = TOKEN_SUBJECT + caller.tokenId();
        } else if (caller.via() == Caller.Via.BEARER) {
            subject = ADMIN_TOKEN_SUBJECT;
        } else {
            return Optional.empty();
        }
        Instant expires = clock.instant().plus(properties.sessionTtl());
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String payload = "v1|" + subject + "|" + expires.getEpochSecond() + "|" + HexFormat.of().formatHex(nonce);
        String cookie = b64(payload.getBytes(StandardCharsets.UTF_8)) + "." + b64(keys.derive("session", payload.getBytes(StandardCharsets.UTF_8)));
        Caller sessionCaller = new Caller(caller.name(), caller.role(), caller.tokenId(), Caller.Via.SESSION);
        return Optional.of(new Session(cookie, csrf(cookie), sessionCaller, expires));
    }

    /** The caller a session cookie stands for, while the cookie is genuine, unexpired and its token usable. */
    Optional<Caller> verify(String cookie) {
        int dot = cookie.indexOf('.');
        if (dot < 0 || cookie.length() > 1000) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(cookie.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(cookie.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, keys.derive("session", payload))) {
            return Optional.empty();
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        try {
            if (Instant.ofEpochSecond(Long.parseLong(parts[2])).isBefore(clock.instant())) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (parts[1].equals(ADMIN_TOKEN_SUBJECT)) {
            return properties.adminToken() == null ? Optional.empty()
                    : Optional.of(new Caller("admin-token", Role.ADMIN, null, Caller.Via.SESSION));
        }
        if (parts[1].startsWith(TOKEN_SUBJECT)) {
            return tokens.byTokenId(parts[1].substring(TOKEN_SUBJECT.length()), Caller.Via.SESSION);
        }
        return Optional.empty();
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
