package dev.redmesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import dev.redmesh.security.SecretCipher;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Key rotation and upgrade, as docs/security.md describes them: at start, passwords stored in plain
 * text by an earlier version are encrypted, and those under a key being rotated out are re-encrypted
 * under the current one — after which the old key can be removed.
 */
@AppIT
class ClusterSecretsIT {

    @Autowired
    Api api;
    @Autowired
    DataSource dataSource;

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void atStartPlainTextIsEncryptedAndValuesUnderARetiredKeyMoveToTheCurrentOne() {
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/clusters/legacy", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:1\"]}");
        api.put("/api/v1/clusters/rotated", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:2\"]}");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        SecretCipher retired = new SecretCipher(key(7), List.of());
        jdbc.update("update cluster set password_ciphertext = 'plain-from-v0' where name = 'legacy'");
        jdbc.update("update cluster set password_ciphertext = ? where name = 'rotated'",
                retired.encrypt("under-the-old-key", "cluster:rotated:password"));

        // the next start, configured with the new key current and the retired one previous
        SecretCipher current = new SecretCipher(key(8), List.of(key(7)));
        ClusterSecrets secrets = new ClusterSecrets(current, jdbc);
        secrets.afterSingletonsInstantiated();

        String legacy = jdbc.queryForObject("select password_ciphertext from cluster where name = 'legacy'", String.class);
        String rotated = jdbc.queryForObject("select password_ciphertext from cluster where name = 'rotated'", String.class);
        assertThat(legacy).startsWith("v1:" + current.currentKeyId()).doesNotContain("plain-from-v0");
        assertThat(rotated).startsWith("v1:" + current.currentKeyId());
        SecretCipher newKeyOnly = new SecretCipher(key(8), List.of());
        assertThat(new ClusterSecrets(newKeyOnly, jdbc).password("legacy", legacy)).isEqualTo("plain-from-v0");
        assertThat(new ClusterSecrets(newKeyOnly, jdbc).password("rotated", rotated)).isEqualTo("under-the-old-key");
    }
}
