/**
 * The control plane's transport: gRPC servers ({@link io.ember.core.rpc.RpcServer}) and cached
 * client channels ({@link io.ember.core.rpc.RpcChannels}) over plaintext HTTP/2, call
 * authentication with an HMAC of {@code ember.auth.secret} ({@link io.ember.core.rpc.AuthToken}),
 * deadlines ({@link io.ember.core.rpc.Deadlines}), leader-epoch fencing
 * ({@link io.ember.core.rpc.EpochFence}) and one-line error messages
 * ({@link io.ember.core.rpc.RpcErrors}). The services themselves are generated from
 * {@code control.proto} into {@code io.ember.core.rpc.proto}.
 */
package io.ember.core.rpc;
