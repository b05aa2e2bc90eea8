package dev.redmesh.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A private CA and a server certificate for 127.0.0.1 and localhost, made once per test JVM, for
 * TLS redis-servers. Every app the tests start trusts that CA ({@link Initializer}).
 */
public final class TestCertificates {

    private static Pem files;

    /** The PEM files: CA certificate, server certificate and server key. */
    public record Pem(Path ca, Path certificate, Path key) {
    }

    private TestCertificates() {
    }

    public static synchronized Pem get() {
        if (files == null) {
            try {
                Path dir = Files.createTempDirectory("redmesh-test-tls");
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair caKeys = generator.generateKeyPair();
                X500Name caName = new X500Name("CN=redmesh test CA");
                Instant now = Instant.now();
                Date from = Date.from(now.minus(Duration.ofDays(1)));
                Date until = Date.from(now.plus(Duration.ofDays(30)));
                ContentSigner caSigner = new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate());
                X509CertificateHolder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, until, caName,
                        caKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .build(caSigner);
                KeyPair serverKeys = generator.generateKeyPair();
                X509CertificateHolder server = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, until,
                        new X500Name("CN=localhost"), serverKeys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.dNSName, "localhost")}))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                        .build(caSigner);
                files = new Pem(write(dir.resolve("ca.pem"), ca), write(dir.resolve("server.pem"), server),
                        write(dir.resolve("server.key"), serverKeys.getPrivate()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("could not make the test certificates", e);
            }
        }
        return files;
    }

    private static Path write(Path file, Object pem) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pem);
        }
        return Files.writeString(file, text.toString());
    }

    /** redis.conf lines for a server that also listens with TLS on {@code tlsPort} (clients need no certificate). */
    public static java.util.List<String> redisConfig(int tlsPort) {
        Pem f = get();
        return java.util.List.of("tls-port " + tlsPort, "tls-cert-file " + f.certificate(), "tls-key-file " + f.key(),
                "tls-ca-cert-file " + f.ca(), "tls-auth-clients no", "tls-replication yes");
    }

    /** Makes every app context trust the test CA for its Redis connections. */
    public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("redmesh.redis.tls.trusted-certificates=" + get().ca()).applyTo(context.getEnvironment());
        }
    }
}
