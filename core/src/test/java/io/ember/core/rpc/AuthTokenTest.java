package io.ember.core.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.times;

import io.ember.api.testkit.ManualClock;
import io.ember.core.rpc.AuthToken.Verdict;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

final class AuthTokenTest {

    private static final String SECRET = "0123456789abcdef-secret";
    private static final String METHOD = "ember.control.v1.MasterService/DescribeCluster";
    private static final String NONCE = "00112233445566778899aabbccddeeff";

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final AuthToken tokens = new AuthToken(SECRET, clock);

    @Test
    void createsVersionMillisNonceAndBase64Mac() {
        String token = tokens.create(METHOD);
        assertTrue(Pattern.matches("v1:" + clock.millis() + ":[0-9a-f]{32}:[A-Za-z0-9+/]{43}=", token), token);
    }

    @Test
    void macIsHmacSha256OfVersionMillisNonceAndMethod() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(("v1|1735689600000|" + NONCE + "|" + METHOD).getBytes(UTF_8));
        assertEquals("v1:1735689600000:" + NONCE + ":" + Base64.getEncoder().encodeToString(expected),
                tokens.create(1735689600000L, NONCE, METHOD));
    }

    @Test
    void acceptsItsOwnTokenOnce() {
        String token = tokens.create(METHOD);
        assertEquals(Verdict.ACCEPTED, tokens.verify(token, METHOD));
        assertEquals(Verdict.REPLAYED, tokens.verify(token, METHOD));
    }

    @Test
    void acceptsTokenOfAnotherInstanceWithTheSameSecret() {
        assertEquals(Verdict.ACCEPTED, tokens.verify(new AuthToken(SECRET, clock).create(METHOD), METHOD));
    }

    @Test
    void refusesTokenForAnotherMethod() {
        String token = tokens.create("ember.control.v1.MasterService/KillExecutors");
        assertEquals(Verdict.BAD_MAC, tokens.verify(token, METHOD));
    }

    @Test
    void refusesTokenOfAnotherSecret() {
        assertEquals(Verdict.BAD_MAC, tokens.verify(new AuthToken("another-secret-0123", clock).create(METHOD), METHOD));
    }

    @Test
    void refusesAlteredTimestampOrNonce() {
        long millis = clock.millis();
        String token = tokens.create(millis, NONCE, METHOD);
        assertEquals(Verdict.BAD_MAC, tokens.verify(token.replace(":" + millis + ":", ":" + (millis - 1) + ":"), METHOD));
        assertEquals(Verdict.BAD_MAC, tokens.verify(token.replace(NONCE, "f" + NONCE.substring(1)), METHOD));
    }

    @Test
    void acceptsTimestampsAtTheEdgesOfTheWindow() {
        long now = clock.millis();
        long window = AuthToken.WINDOW.toMillis();
        assertEquals(Verdict.ACCEPTED, tokens.verify(tokens.create(now - window, nonce(1), METHOD), METHOD));
        assertEquals(Verdict.ACCEPTED, tokens.verify(tokens.create(now + window, nonce(2), METHOD), METHOD));
    }

    @Test
    void refusesTimestampsJustOutsideTheWindow() {
        long now = clock.millis();
        long window = AuthToken.WINDOW.toMillis();
        assertEquals(Verdict.OUTSIDE_WINDOW, tokens.verify(tokens.create(now - window - 1, nonce(1), METHOD), METHOD));
        assertEquals(Verdict.OUTSIDE_WINDOW, tokens.verify(tokens.create(now + window + 1, nonce(2), METHOD), METHOD));
    }

    @Test
    void refusesTokenOnceTheClockHasMovedPastTheWindow() {
        String token = tokens.create(METHOD);
        clock.advance(AuthToken.WINDOW.plusMillis(1));
        assertEquals(Verdict.OUTSIDE_WINDOW, tokens.verify(token, METHOD));
    }

    @Test
    void refusesMissingHeader() {
        assertEquals(Verdict.MISSING, tokens.verify(null, METHOD));
    }

    @Test
    void refusesMalformedHeadersWithoutThrowing() {
        String valid = tokens.create(clock.millis(), NONCE, METHOD);
        String mac = valid.substring(valid.lastIndexOf(':') + 1);
        long millis = clock.millis();
        List<String> malformed = List.of(
                "", "v1", "v1:", "v1:::", "garbage", "v2" + valid.substring(2),
                valid + "x", valid.substring(0, valid.length() - 1),
                "v1:" + millis + ":" + NONCE + ":",
                "v1::" + NONCE + ":" + mac,
                "v1:-" + millis + ":" + NONCE + ":" + mac,
                "v1:12345678901234567890:" + NONCE + ":" + mac,
                "v1:1e12:" + NONCE + ":" + mac,
                "v1:" + millis + ":" + NONCE.toUpperCase(Locale.ROOT) + ":" + mac,
                "v1:" + millis + ":" + NONCE.substring(1) + "g:" + mac,
                "v1:" + millis + ":" + NONCE + "00:" + mac.substring(2),
                "v1:" + millis + ":" + NONCE + ":" + "*".repeat(44),
                "v1:" + millis + ":" + NONCE + ":" + "=".repeat(44),
                "v1:" + millis + ":" + NONCE + ":" + mac.substring(0, 43) + "A",
                "v1:" + millis + ":" + NONCE + ":" + mac + ":" + mac,
                "x".repeat(100_000));
        for (String header : malformed) {
            Verdict verdict = tokens.verify(header, METHOD);
            assertTrue(verdict == Verdict.MALFORMED || verdict == Verdict.BAD_MAC, header + " -> " + verdict);
        }
        assertEquals(Verdict.ACCEPTED, tokens.verify(valid, METHOD));
    }

    @Test
    void comparesMacsInConstantTime() {
        String token = tokens.create(METHOD);
        String wrong = new AuthToken("another-secret-0123", clock).create(METHOD);
        try (MockedStatic<MessageDigest> digest = mockStatic(MessageDigest.class, CALLS_REAL_METHODS)) {
            assertEquals(Verdict.ACCEPTED, tokens.verify(token, METHOD));
            assertEquals(Verdict.BAD_MAC, tokens.verify(wrong, METHOD));
            digest.verify(() -> MessageDigest.isEqual(any(), any()), times(2));
        }
    }

    @Test
    void remembersNoncesOnlyOfTokensThatPassTheMacCheck() {
        AuthToken other = new AuthToken("another-secret-0123", clock);
        for (int i = 0; i < 10; i++) {
            tokens.verify(other.create(METHOD), METHOD);
        }
        assertEquals(0, tokens.rememberedNonces());
    }

    @Test
    void forgetsNoncesOnceTheirTimestampLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ACCEPTED, tokens.verify(tokens.create(METHOD), METHOD));
        }
        assertEquals(5, tokens.rememberedNonces());
        clock.advance(AuthToken.WINDOW.plusMillis(1));
        assertEquals(Verdict.ACCEPTED, tokens.verify(tokens.create(METHOD), METHOD));
        assertEquals(1, tokens.rememberedNonces());
    }

    @Test
    void holdsAtMostCapacityNoncesAndStillRefusesAForgottenOne() {
        AuthToken bounded = new AuthToken(SECRET, clock, 3);
        String first = bounded.create(METHOD);
        assertEquals(Verdict.ACCEPTED, bounded.verify(first, METHOD));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(1));
            assertEquals(Verdict.ACCEPTED, bounded.verify(bounded.create(METHOD), METHOD));
            assertTrue(bounded.rememberedNonces() <= 3, "remembered " + bounded.rememberedNonces());
        }
        assertEquals(Verdict.TOO_OLD, bounded.verify(first, METHOD));
    }

    @Test
    void keepsRefusingAForgottenNonceWhenTheClockGoesBack() {
        String token = tokens.create(METHOD);
        assertEquals(Verdict.ACCEPTED, tokens.verify(token, METHOD));
        clock.advance(AuthToken.WINDOW.plusSeconds(1));
        tokens.verify(tokens.create(METHOD), METHOD);   // forgets the first nonce
        clock.set(clock.instant().minus(AuthToken.WINDOW.plusSeconds(1)));
        assertFalse(tokens.verify(token, METHOD) == Verdict.ACCEPTED);
    }

    @Test
    void refusesEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new AuthToken("", clock));
    }

    @Test
    void neverShowsTheSecret() {
        assertFalse(tokens.toString().contains(SECRET));
        for (Verdict verdict : Verdict.values()) {
            assertFalse(verdict.reason().contains(SECRET));
        }
    }

    private static String nonce(int n) {
        return String.format("%032x", n);
    }
}
