package dev.redmesh.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets stored in Postgres (Redis passwords) with AES-256-GCM. A stored value reads
 * {@code v1:<key id>:<base64 of nonce, ciphertext and tag>}; the key id (the first 8 hex digits of
 * the key's SHA-256) says which key of the ring decrypts it, so keys can be rotated without a
 * flag day. Each value is bound to where it is stored ({@code context}, e.g. the cluster's name):
 * a ciphertext copied to another row does not decrypt.
 */
public final class SecretCipher {

    private static final Pattern STORED = Pattern.compile("v1:([0-9a-f]{8}):([A-Za-z0-9+/=]+)");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** @param current the key new values are encrypted with; {@code previous} only decrypt */
    public SecretCipher(byte[] current, List<byte[]> previous) {
        this.currentId = add(current);
        previous.forEach(this::add);
    }

    private String add(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a secret key is 32 bytes (base64 of 32 random bytes), not " + key.length);
        }
        String id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return "v1:" + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a secret", e);
        }
    }

    /** @throws IllegalStateException if the value is not ours, its key is unknown, or it was tampered with */
    public String decrypt(String stored, String context) {
        var m = STORED.matcher(stored);
        if (!m.matches()) {
            throw new IllegalStateException("not an encrypted value");
        }
        SecretKeySpec key = keys.get(m.group(1));
        if (key == null) {
            throw new IllegalStateException("encrypted under key " + m.group(1) + ", which is not configured "
                    + "(set it in redmesh.security.previous-secret-keys)");
        }
        try {
            byte[] in = Base64.getDecoder().decode(m.group(2));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("an encrypted value does not decrypt (wrong key or altered)", e);
        }
    }

    /** True for a value written before encryption existed (plain text). */
    public static boolean isPlaintext(String stored) {
        return !STORED.matcher(stored).matches();
    }

    /** True if the value is encrypted under a key other than the current one. */
    public boolean needsReencryption(String stored) {
        var m = STORED.matcher(stored);
        return m.matches() && !m.group(1).equals(currentId);
    }

    /** A keyed hash derived from the current key, for signing things that are not secrets (sessions). */
    byte[] derive(String purpose, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.get(currentId).getEncoded(), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
