package dev.redmesh.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;

/**
 * Which Redis servers a TLS connection trusts, the same for every client of the process (topology
 * polls, sync sources and targets): the JVM's trusted CAs, or the certificates of a PEM file (a
 * private CA), and how strictly — {@code FULL} checks the chain and that the certificate names the
 * host, {@code CA} the chain only (servers reached by an address their certificate does not name),
 * {@code NONE} nothing (tests against self-signed servers; never in production).
 */
public record TlsTrust(Path trustedCertificates, Verify verify) {

    public enum Verify { FULL, CA, NONE }

    public static final TlsTrust DEFAULT = new TlsTrust(null, Verify.FULL);

    public TlsTrust {
        verify = verify == null ? Verify.FULL : verify;
    }

    public SslVerifyMode lettuceVerifyMode() {
        return switch (verify) {
            case FULL -> SslVerifyMode.FULL;
            case CA -> SslVerifyMode.CA;
            case NONE -> SslVerifyMode.NONE;
        };
    }

    /** Lettuce client options carrying this trust (SSL is used only by URIs that ask for it). */
    public ClientOptions.Builder apply(ClientOptions.Builder options) {
        if (trustedCertificates == null && verify != Verify.NONE) {
            return options;
        }
        return options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trustManagers()).build());
    }

    /** A socket factory for the replication stream (redis-replicator opens its own sockets). */
    public SSLSocketFactory socketFactory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers().getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for Redis: " + e.getMessage(), e);
        }
    }

    /** Hostname checking for sockets made with {@link #socketFactory()}, when {@code FULL}. */
    public SSLParameters sslParameters() {
        SSLParameters parameters = new SSLParameters();
        if (verify == Verify.FULL) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }

    private TrustManagerFactory trustManagers() {
        try {
            if (verify == Verify.NONE) {
                return new TrustEverything();
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustedCertificates == null) {
                factory.init((KeyStore) null);
                return factory;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(trustedCertificates)) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("redis-ca-" + i++, certificate);
                }
                if (i == 0) {
                    throw new IllegalStateException(trustedCertificates + " holds no PEM certificate");
                }
            }
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trusted certificates " + trustedCertificates + ": "
                    + e.getMessage(), e);
        }
    }

    /** For {@code verify: NONE} only. */
    private static final class TrustEverything extends TrustManagerFactory {
        TrustEverything() {
            super(new javax.net.ssl.TrustManagerFactorySpi() {
                @Override
                protected void engineInit(KeyStore ks) {
                }

                @Override
                protected void engineInit(javax.net.ssl.ManagerFactoryParameters spec) {
                }

                @Override
                protected TrustManager[] engineGetTrustManagers() {
                    return new TrustManager[] {new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {
                        }

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {
                        }

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }};
                }
            }, null, "trust-everything");
        }
    }
}
