package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void aValueDecryptsOnlyWithItsKeyAndInItsOwnContext() {
        SecretCipher cipher = new SecretCipher(key(1), List.of());
        String stored = cipher.encrypt("s3cret", "cluster:a:password");
        assertThat(stored).startsWith("v1:" + cipher.currentKeyId() + ":").doesNotContain("s3cret");
        assertThat(cipher.encrypt("s3cret", "cluster:a:password")).as("a fresh nonce each time").isNotEqualTo(stored);
        assertThat(cipher.decrypt(stored, "cluster:a:password")).isEqualTo("s3cret");
        assertThatThrownBy(() -> cipher.decrypt(stored, "cluster:b:password")).as("copied to another row")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretCipher(key(2), List.of()).decrypt(stored, "cluster:a:password"))
                .hasMessageContaining("not configured");
    }

    @Test
    void anAlteredValueIsRefused() {
        SecretCipher cipher = new SecretCipher(key(1), List.of());
        String stored = cipher.encrypt("s3cret", "c");
        String prefix = stored.substring(0, stored.lastIndexOf(':') + 1);
        byte[] sealed = java.util.Base64.getDecoder().decode(stored.substring(prefix.length()));
        for (int i = 0; i < sealed.length; i++) { // any byte: nonce, ciphertext or tag
            byte[] flipped = sealed.clone();
            flipped[i] ^= 0x01;
            String altered = prefix + java.util.Base64.getEncoder().encodeToString(flipped);
            assertThatThrownBy(() -> cipher.decrypt(altered, "c")).as("byte %d altered", i)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void rotationKeepsTheOldKeyForReadingAndEncryptsWithTheNewOne() {
        SecretCipher old = new SecretCipher(key(1), List.of());
        String stored = old.encrypt("s3cret", "c");
        SecretCipher rotated = new SecretCipher(key(2), List.of(key(1)));
        assertThat(rotated.decrypt(stored, "c")).isEqualTo("s3cret");
        assertThat(rotated.needsReencryption(stored)).isTrue();
        String again = rotated.encrypt("s3cret", "c");
        assertThat(rotated.needsReencryption(again)).isFalse();
        assertThat(again).contains(rotated.currentKeyId()).doesNotContain(old.currentKeyId());
    }

    @Test
    void plainTextFromBeforeEncryptionIsRecognised() {
        assertThat(SecretCipher.isPlaintext("hunter2")).isTrue();
        assertThat(SecretCipher.isPlaintext(new SecretCipher(key(3), List.of()).encrypt("x", "c"))).isFalse();
    }

    @Test
    void aKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new SecretCipher(new byte[16], List.of())).hasMessageContaining("32 bytes");
    }
}
