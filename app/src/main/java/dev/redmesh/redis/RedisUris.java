package dev.redmesh.redis;


import java.time.Duration;

import io.lettuce.core.RedisURI;

/** One way to turn an address and credentials into a Lettuce URI: password alone, or ACL user and password. */
public final class RedisUris {

    private RedisUris() {
    }

    public static RedisURI of(String host, int port, String username, String password, boolean tls, Duration timeout) {
        return of(host, port, username, password, tls, TlsTrust.DEFAULT, timeout);
    }

    public static RedisURI of(String host, int port, String username, String password, boolean tls, TlsTrust trust,
                              Duration timeout) {
        RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withSsl(tls);
        if (tls) {
            uri.withVerifyPeer(trust.lettuceVerifyMode());
        }
        if (timeout != null) {
            uri.withTimeout(timeout);
        }
        if (password != null) {
            if (username != null) {
                uri.withAuthentication(username, password.toCharArray());
            } else {
                uri.withPassword(password.toCharArray());
            }
        }
        return uri.build();
    }
}
