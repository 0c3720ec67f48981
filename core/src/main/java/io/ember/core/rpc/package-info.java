/**
 * The control plane's transport: gRPC servers ({@link io.ember.core.rpc.RpcServer}) and cached
 * client channels ({@link io.ember.core.rpc.RpcChannels}) over plaintext HTTP/2, call
 * authentication with an HMAC of {@code ember.auth.secret} ({@link io.ember.core.rpc.AuthToken}),
 * deadlines ({@link io.ember.core.rpc.Deadlines}), leader-epoch fencing
 * ({@link io.ember.core.rpc.EpochFence}) and one-line error messages
 * ({@link io.ember.core.rpc.RpcErrors}). The services themselves are generated from
 * {@code control.proto} into {@code io.ember.core.rpc.proto}.
 *
 * <h2>{@link AuthToken}</h2>
 *
 * <h3>The scheme (version 1)</h3>
 *
 * Every call carries one metadata header, {@value AuthToken#HEADER_NAME}, whose value is
 *
 * <pre>
 *   v1:&lt;millis&gt;:&lt;nonce&gt;:&lt;mac&gt;
 *   millis = the client's clock, milliseconds since the epoch, decimal
 *   nonce  = 16 random bytes (SecureRandom), 32 lower-case hex digits
 *   mac    = base64 (RFC 4648, padded) of HMAC-SHA256(key = UTF-8 bytes of the secret,
 *            message = UTF-8 bytes of "v1|" + millis + "|" + nonce + "|" + fullMethodName)
 * </pre>
 *
 * where {@code fullMethodName} is gRPC's {@code service/method}, e.g.
 * {@code ember.control.v1.MasterService/DescribeCluster}, so a token is good for one method only.
 * The server accepts a call only when, in this order:
 * <ol>
 *   <li>the header is present and well-formed ({@link AuthToken.Verdict#MISSING},
 *       {@link AuthToken.Verdict#MALFORMED});
 *   <li>{@code millis} is within {@link AuthToken#WINDOW} (±5 minutes) of its own clock
 *       ({@link AuthToken.Verdict#OUTSIDE_WINDOW}), so a captured token is useless after a few
 *       minutes and clocks must be roughly in sync;
 *   <li>the MAC it computes equals the one sent, compared in constant time with
 *       {@link java.security.MessageDigest#isEqual} ({@link AuthToken.Verdict#BAD_MAC}: wrong
 *       secret, or an altered token);
 *   <li>the nonce was not accepted before ({@link AuthToken.Verdict#REPLAYED}). Only tokens that
 *       passed the MAC check are remembered, so callers without the secret cannot fill the memory.
 *       The memory forgets a nonce once its timestamp has left the window, and holds at most a
 *       fixed number of nonces; when full it forgets the oldest timestamp first and from then on
 *       refuses every token at or below the oldest timestamp it has forgotten
 *       ({@link AuthToken.Verdict#TOO_OLD}), so a forgotten nonce can never be replayed. Fresh
 *       tokens are never affected unless more calls arrive within one round trip than the memory
 *       holds.
 * </ol>
 *
 * A stream is authenticated once, when it starts. A refused call learns only that it is not
 * authenticated; which check failed is for the server's log. Because a token is single-use, gRPC
 * retry or hedging policies, which resend the same headers, must not be enabled on authenticated
 * channels: Ember retries by making a new call.
 *
 * <p>The secret itself is not kept, and never appears in a message or {@code toString}.
 */
package io.ember.core.rpc;
