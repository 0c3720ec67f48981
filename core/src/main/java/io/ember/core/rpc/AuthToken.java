package io.ember.core.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The control plane's call authentication: creates the token a client sends with every call and
 * verifies it on the server. Used when {@code ember.auth.secret} is set.
 *
 * <p>Threading: thread-safe. Each thread keeps its own {@link Mac}, initialised once with the key.
 *
 * <p>Its full contract (the scheme, version 1: the token, the server's checks in order, streams and
 * retries; the secret) is in the {@code io.ember.core.rpc} package documentation.
 */
public final class AuthToken {

    /** The metadata header carrying the token. */
    public static final String HEADER_NAME = "ember-auth";

    /** The header as a gRPC metadata key. */
    public static final Metadata.Key<String> HEADER = Metadata.Key.of(HEADER_NAME, Metadata.ASCII_STRING_MARSHALLER);

    /** How far a token's timestamp may be from the verifier's clock, either way. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    /** How many nonces a verifier remembers at most (about 6 MB when full). */
    static final int DEFAULT_REPLAY_CAPACITY = 65_536;

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int NONCE_BYTES = 16;
    private static final int NONCE_HEX_LENGTH = 2 * NONCE_BYTES;
    private static final int MAC_BASE64_LENGTH = 44;   // 32 bytes, padded
    private static final int MAX_MILLIS_DIGITS = 15;
    private static final int MAX_TOKEN_LENGTH = 2 + 1 + MAX_MILLIS_DIGITS + 1 + NONCE_HEX_LENGTH + 1 + MAC_BASE64_LENGTH;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome of {@link #verify}: accepted, or why not (for the server's log only). */
    public enum Verdict {
        ACCEPTED("accepted"),
        MISSING("no " + HEADER_NAME + " header"),
        MALFORMED("malformed " + HEADER_NAME + " header"),
        OUTSIDE_WINDOW("timestamp more than " + WINDOW.toMinutes() + " minutes from this host's clock (clock skew?)"),
        BAD_MAC("wrong MAC (a different ember.auth.secret?)"),
        REPLAYED("nonce already used (a replayed call)"),
        TOO_OLD("timestamp older than the replay memory reaches (too many calls within the window)");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** Why a call was refused, for the server's log; never sent to the caller. */
        public String reason() {
            return reason;
        }
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private final long windowMillis;
    private final ReplayCache replays;
    private final ThreadLocal<Mac> macs;

    /** A token maker and checker for a secret, on the system clock. */
    public AuthToken(String secret) {
        this(secret, Clock.systemUTC());
    }

    /** A token maker and checker for a secret, on the given clock. */
    public AuthToken(String secret, Clock clock) {
        this(secret, clock, DEFAULT_REPLAY_CAPACITY);
    }

    AuthToken(String secret, Clock clock, int replayCapacity) {
        requireNonNull(secret, "secret is null");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(UTF_8), ALGORITHM);
        this.clock = requireNonNull(clock, "clock is null");
        this.windowMillis = WINDOW.toMillis();
        this.replays = new ReplayCache(replayCapacity);
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac();   // fails now, not at the first call, should the JDK lack HmacSHA256
    }

    /** A fresh token for one call of {@code fullMethodName}, timestamped now. */
    public String create(String fullMethodName) {
        requireNonNull(fullMethodName, "fullMethodName is null");
        byte[] nonceBytes = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonceBytes);
        return create(clock.millis(), HEX.formatHex(nonceBytes), fullMethodName);
    }

    /** A token with the given parts; for tests that need a chosen timestamp or nonce. */
    String create(long millis, String nonce, String fullMethodName) {
        String mac = Base64.getEncoder().encodeToString(mac(millis, nonce, fullMethodName));
        return VERSION + ':' + millis + ':' + nonce + ':' + mac;
    }

    /**
     * Checks a token received with a call of {@code fullMethodName}; a token that is accepted is
     * remembered, so the same token is refused next time. Never throws for any {@code token}.
     *
     * @param token the header's value, {@code null} when the header is absent
     */
    public Verdict verify(String token, String fullMethodName) {
        requireNonNull(fullMethodName, "fullMethodName is null");
        if (token == null) {
            return Verdict.MISSING;
        }
        // v1:<millis>:<nonce>:<mac>; parsed by hand, so garbage costs no exception.
        int length = token.length();
        if (length > MAX_TOKEN_LENGTH || !token.startsWith(VERSION + ':')) {
            return Verdict.MALFORMED;
        }
        int millisStart = VERSION.length() + 1;
        int millisEnd = token.indexOf(':', millisStart);
        if (millisEnd < 0) {
            return Verdict.MALFORMED;
        }
        int nonceEnd = millisEnd + 1 + NONCE_HEX_LENGTH;
        if (nonceEnd >= length || token.charAt(nonceEnd) != ':' || length - nonceEnd - 1 != MAC_BASE64_LENGTH) {
            return Verdict.MALFORMED;
        }
        long millis = parseMillis(token, millisStart, millisEnd);
        if (millis < 0 || !isLowerHex(token, millisEnd + 1, nonceEnd)) {
            return Verdict.MALFORMED;
        }
        long now = clock.millis();
        if (Math.abs(now - millis) > windowMillis) {
            return Verdict.OUTSIDE_WINDOW;
        }
        byte[] sent;
        try {
            sent = Base64.getDecoder().decode(token.substring(nonceEnd + 1));
        } catch (IllegalArgumentException notBase64) {
            return Verdict.MALFORMED;
        }
        String nonce = token.substring(millisEnd + 1, nonceEnd);
        if (!MessageDigest.isEqual(mac(millis, nonce, fullMethodName), sent)) {
            return Verdict.BAD_MAC;
        }
        long high = HexFormat.fromHexDigitsToLong(nonce, 0, 16);
        long low = HexFormat.fromHexDigitsToLong(nonce, 16, 32);
        return switch (replays.admit(millis, high, low, now - windowMillis)) {
            case ADMITTED -> Verdict.ACCEPTED;
            case SEEN -> Verdict.REPLAYED;
            case BELOW_FLOOR -> Verdict.TOO_OLD;
        };
    }

    /** How many nonces are remembered now; for tests. */
    int rememberedNonces() {
        return replays.size();
    }

    private byte[] mac(long millis, String nonce, String fullMethodName) {
        String message = VERSION + '|' + millis + '|' + nonce + '|' + fullMethodName;
        return macs.get().doFinal(message.getBytes(UTF_8));   // doFinal also resets the Mac
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    /** Decimal digits only, at most 15 of them; -1 when not. */
    private static long parseMillis(String s, int from, int to) {
        if (to == from || to - from > MAX_MILLIS_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
