package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response authentication with a shared secret ({@code ember.auth.secret}): the server
 * sends a random nonce, the client answers HMAC-SHA256(secret, nonce + {@value #CONTEXT}), the
 * server compares in constant time. The secret never leaves the process and is never printed.
 *
 * <p>Thread-safe.
 */
final class ShuffleAuth {

    /** Binds a response to this protocol, so a MAC computed for another use of the secret does not pass. */
    static final String CONTEXT = "ember-shuffle-auth-v1";
    static final int NONCE_BYTES = 32;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    ShuffleAuth(String secret) {
        requireNonNull(secret, "secret is null");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the shared secret is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** A fresh random nonce. */
    byte[] newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The answer to a nonce. */
    byte[] respond(byte[] nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(nonce);
            return mac.doFinal(CONTEXT.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);   // every JDK has it
        }
    }

    /** Whether {@code response} answers {@code nonce}, compared in constant time. */
    boolean verify(byte[] nonce, byte[] response) {
        return MessageDigest.isEqual(respond(nonce), response);
    }

    @Override
    public String toString() {
        return "ShuffleAuth[secret hidden]";
    }
}
