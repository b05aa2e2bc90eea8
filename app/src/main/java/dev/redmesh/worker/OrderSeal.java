package dev.redmesh.worker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the Redis passwords in a worker's orders for the token that fetched them, so that a password
 * appears in no API response: a proxy, a debug log or a captured response shows {@code sealed:v1:…}.
 * Only the holder of the worker's token opens it: the key is derived from the token's value, which
 * the control plane sees on the request and keeps nowhere (it stores a hash of it).
 * <p>
 * AES-256-GCM, the worker's id as associated data. The nonce is derived from the password (a
 * synthetic IV): the same password sealed for the same worker reads the same in every answer, so
 * orders compare equal from one long poll to the next and a running assignment is not restarted.
 * That shows only whether a password changed, which the worker is told anyway.
 */
public final class OrderSeal {

    static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private OrderSeal() {
    }

    /** The password sealed for the worker presenting {@code token}; null stays null. */
    public static String seal(String token, String workerId, String password) {
        if (password == null) {
            return null;
        }
        try {
            byte[] plain = password.getBytes(StandardCharsets.UTF_8);
            byte[] nonce = Arrays.copyOf(hmac(derive(token, "nonce"), workerId, plain), NONCE_BYTES);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, token, workerId, nonce);
            byte[] sealed = cipher.doFinal(plain);
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a password: " + e.getMessage(), e);
        }
    }

    /**
     * The password a {@link #seal} holds, for the worker holding {@code token}; null stays null.
     *
     * @throws IllegalArgumentException if it was not sealed for this token and worker
     */
    public static String open(String token, String workerId, String sealed) {
        if (sealed == null) {
            return null;
        }
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed password");
        }
        try {
            byte[] raw = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("a sealed password too short to be one");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, token, workerId, Arrays.copyOf(raw, NONCE_BYTES));
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a password sealed for another token or worker", e);
        }
    }

    private static Cipher cipher(int mode, String token, String workerId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(derive(token, "key"), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(workerId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A 256-bit key for one purpose, from the token's value. */
    private static byte[] derive(String token, String purpose) throws GeneralSecurityException {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("orders are sealed for a worker token, and there is none");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(("redmesh worker orders v1 " + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String workerId, byte[] message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(workerId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(message);
    }
}
