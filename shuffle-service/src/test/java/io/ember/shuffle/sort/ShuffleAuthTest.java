package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

final class ShuffleAuthTest {

    @Test
    void acceptsTheAnswerOfTheSameSecretOnly() {
        ShuffleAuth server = new ShuffleAuth("s3cret");
        byte[] nonce = server.newNonce();

        assertTrue(server.verify(nonce, new ShuffleAuth("s3cret").respond(nonce)));
        assertFalse(server.verify(nonce, new ShuffleAuth("s3cret!").respond(nonce)));
        assertFalse(server.verify(server.newNonce(), new ShuffleAuth("s3cret").respond(nonce)));
        assertFalse(server.verify(nonce, new byte[0]));
    }

    @Test
    void drawsAFreshNonceEachTime() {
        ShuffleAuth auth = new ShuffleAuth("s3cret");
        byte[] first = auth.newNonce();
        assertEquals(ShuffleAuth.NONCE_BYTES, first.length);
        assertFalse(Arrays.equals(first, auth.newNonce()));
    }

    @Test
    void neverShowsTheSecret() {
        assertNotEquals(-1, new ShuffleAuth("s3cret").toString().indexOf("hidden"));
        assertEquals(-1, new ShuffleAuth("s3cret").toString().indexOf("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> new ShuffleAuth(""));
    }
}
