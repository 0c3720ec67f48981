package io.ember.core.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credentials the web UI, the REST API and {@code /metrics} require when
 * {@code ember.auth.secret} is set, derived from the secret so that every process of a cluster
 * accepts the same ones and none of them stores another secret:
 *
 * <pre>
 *   user     = ember
 *   password = base64url, unpadded (RFC 4648 §5), of HMAC-SHA256(key = UTF-8 bytes of the secret,
 *                                                               message = "ember-web-v1")
 * </pre>
 *
 * A request is accepted with HTTP Basic authentication ({@code Authorization: Basic
 * base64("ember:" + password)}, what browsers ask for) or with the password as a bearer token
 * ({@code Authorization: Bearer password}, what Prometheus's {@code authorization} setting sends).
 * The password is not the secret and cannot be turned back into it; it gives read access to the
 * web servers only, not to the control plane. {@code ember web-credentials} prints it.
 *
 * <p>Immutable and thread-safe. Passwords are compared in constant time.
 */
public final class WebCredentials {

    /** The user name. */
    public static final String USER = "ember";

    private static final String CONTEXT = "ember-web-v1";

    private final String password;
    private final byte[] basic;
    private final byte[] bearer;

    private WebCredentials(String password) {
        this.password = password;
        this.basic = ("Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(UTF_8)))
                .getBytes(UTF_8);
        this.bearer = ("Bearer " + password).getBytes(UTF_8);
    }

    /** The credentials derived from {@code secret}. */
    public static WebCredentials derivedFrom(String secret) {
        requireNonNull(secret, "secret is null");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(CONTEXT.getBytes(UTF_8));
            return new WebCredentials(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The credentials for a process with {@code secret}, none when it has no secret. */
    public static Optional<WebCredentials> of(Optional<String> secret) {
        return secret.map(WebCredentials::derivedFrom);
    }

    /** The password (for a client: a script, {@code ember status}, a test). */
    public String password() {
        return password;
    }

    /** The value of an {@code Authorization} header that these credentials accept. */
    public String authorizationHeader() {
        return new String(basic, UTF_8);
    }

    /** Whether an {@code Authorization} header's value ({@code null} when absent) carries these credentials. */
    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        byte[] offered = authorization.trim().getBytes(UTF_8);
        // Both comparisons run, so the time taken does not say which scheme came close.
        boolean isBasic = MessageDigest.isEqual(offered, basic);
        boolean isBearer = MessageDigest.isEqual(offered, bearer);
        return isBasic | isBearer;
    }

    @Override
    public String toString() {
        return "WebCredentials[user=" + USER + ", password=(derived from ember.auth.secret)]";
    }
}
