package dev.redmesh.cluster;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.security.SecretCipher;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Redis passwords at rest: encrypted for their row when stored, decrypted only where a connection is
 * made. At start it encrypts any password stored before encryption existed and re-encrypts those
 * under a key being rotated out, so that the old key can then be dropped.
 */
@Component
public class ClusterSecrets implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecrets.class);

    private final SecretCipher cipher;
    private final JdbcTemplate jdbc;

    ClusterSecrets(SecretCipher cipher, JdbcTemplate jdbc) {
        this.cipher = cipher;
        this.jdbc = jdbc;
    }

    /** The value to store for a password given through the API: null keeps, "" clears. */
    String seal(String cluster, String password) {
        if (password == null || password.isEmpty()) {
            return password;
        }
        return cipher.encrypt(password, context(cluster));
    }

    /** The cluster's password for a connection, or null without one. */
    public String password(Cluster cluster) {
        return password(cluster.getName(), cluster.getPasswordCiphertext());
    }

    /** @param stored the {@code password_ciphertext} column of the cluster's row */
    public String password(String cluster, String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return cipher.decrypt(stored, context(cluster));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the stored password of cluster '" + cluster + "' cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static String context(String cluster) {
        return "cluster:" + cluster + ":password";
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select name, password_ciphertext from cluster where password_ciphertext is not null");
        int sealed = 0;
        int rotated = 0;
        for (Map<String, Object> row : rows) {
            String name = (String) row.get("name");
            String stored = (String) row.get("password_ciphertext");
            String plain;
            if (SecretCipher.isPlaintext(stored)) {
                plain = stored;
                sealed++;
            } else if (cipher.needsReencryption(stored)) {
                plain = password(name, stored);
                rotated++;
            } else {
                continue;
            }
            // conditional on the value read: a concurrent start of another control plane does the same, once
            jdbc.update("update cluster set password_ciphertext = ? where name = ? and password_ciphertext = ?",
                    cipher.encrypt(plain, context(name)), name, stored);
        }
        if (sealed + rotated > 0) {
            log.info("Secrets at rest: encrypted {} password(s) stored in plain text by an earlier version, "
                    + "re-encrypted {} under the current key {}", sealed, rotated, cipher.currentKeyId());
        }
    }
}
