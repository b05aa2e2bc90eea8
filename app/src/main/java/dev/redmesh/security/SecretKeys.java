package dev.redmesh.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the key that encrypts secrets at rest comes from: {@code redmesh.security.secret-key}, else
 * the key file. With the embedded database (a laptop, the demo) a missing key file is created, next
 * to the data it protects; with an external database a missing key is an error, since every control
 * plane must share one key and a key made up by one of them would lock the others out.
 */
@Configuration(proxyBeanMethods = false)
class SecretKeys {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);

    @Bean
    SecretCipher secretCipher(SecurityProperties properties, Environment environment) {
        byte[] current = properties.secretKey() != null
                ? decode(properties.secretKey(), "redmesh.security.secret-key")
                : fromFile(properties.secretKeyFile(), environment.getProperty("spring.datasource.url") == null);
        List<byte[]> previous = properties.previousSecretKeys().stream()
                .map(k -> decode(k, "redmesh.security.previous-secret-keys")).toList();
        SecretCipher cipher = new SecretCipher(current, previous);
        log.info("Secrets at rest are encrypted with key {}{}", cipher.currentKeyId(),
                previous.isEmpty() ? "" : " (" + previous.size() + " previous key(s) kept for rotation)");
        return cipher;
    }

    private static byte[] fromFile(Path file, boolean embeddedDatabase) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
            }
            if (!embeddedDatabase) {
                throw new IllegalStateException("No key to encrypt secrets at rest: set redmesh.security.secret-key "
                        + "(env REDMESH_SECURITY_SECRET_KEY, base64 of 32 random bytes, e.g. `openssl rand -base64 32`), "
                        + "the same on every control plane, or redmesh.security.secret-key-file. See docs/security.md.");
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            PrivateFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
            log.warn("Generated the key that encrypts Redis passwords at rest: {} — keep it with the data directory; "
                    + "without it stored passwords cannot be read", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the secret key file " + file, e);
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64 (expected base64 of 32 random bytes)");
        }
    }

    /** Files only their owner may read. */
    static final class PrivateFiles {
        private PrivateFiles() {
        }

        static void write(Path file, String content) throws IOException {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACL applies
            }
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
