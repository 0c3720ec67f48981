package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed call into one line an operator can act on:
 * <pre>
 *   master at 127.0.0.1:7077 is unreachable (connection refused)
 *   master at 127.0.0.1:7077 refused the call: not authenticated (check ember.auth.secret)
 *   master at 127.0.0.1:7077 did not answer within 10s
 *   worker at 10.0.0.5:7078 refused the call: stale leader epoch 3; newest seen is 4
 * </pre>
 * Never a stack trace; log the exception itself at DEBUG when its detail matters.
 */
public final class RpcErrors {

    private static final int MAX_DETAIL = 300;
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");
    private static final Pattern ELAPSED = Pattern.compile("exceeded after (\\d+(?:\\.\\d+)?)s");

    private RpcErrors() {}

    /**
     * One line for a call to {@code what} (a role: master, worker, driver) at {@code address} that
     * failed with {@code failure}. The time named for {@code DEADLINE_EXCEEDED} is the one gRPC
     * reports, rounded ({@link Durations#formatRounded}); pass the timeout to
     * {@link #describe(String, String, Throwable, Duration)} to name it as it is configured
     * ({@link Durations#format}).
     */
    public static String describe(String what, String address, Throwable failure) {
        return line(what, address, failure, null);
    }

    /** {@link #describe(String, String, Throwable)} for a call made with this timeout. */
    public static String describe(String what, String address, Throwable failure, Duration timeout) {
        return line(what, address, failure, requireNonNull(timeout, "timeout is null"));
    }

    private static String line(String what, String address, Throwable failure, Duration timeout) {
        requireNonNull(what, "what is null");
        requireNonNull(address, "address is null");
        requireNonNull(failure, "failure is null");
        return what + " at " + address + ' ' + predicate(failure, timeout);
    }

    private static String predicate(Throwable failure, Duration timeout) {
        Status status = statusOf(failure);
        IOException io = ioCause(failure);
        if (status == null) {
            return io != null
                    ? unreachable(io)
                    : "failed: " + detail(failure.getMessage(), failure.getClass().getSimpleName());
        }
        String description = status.getDescription();
        switch (status.getCode()) {
            case UNAVAILABLE:
                if (io != null) {
                    return unreachable(io);
                }
                return "is unavailable" + suffix(description);
            case DEADLINE_EXCEEDED:
                return "did not answer within " + (timeout != null ? Durations.format(timeout) : elapsed(description));
            case UNAUTHENTICATED:
                return "refused the call: not authenticated (check ember.auth.secret)";
            case PERMISSION_DENIED:
                return "refused the call: permission denied" + suffix(description);
            case UNIMPLEMENTED:
                return "does not offer this call (a different Ember version?)" + suffix(description);
            case CANCELLED:
                return "did not complete the call: cancelled" + suffix(description);
            case UNKNOWN:
            case INTERNAL:
            case DATA_LOSS:
                return "failed on its side" + suffix(description);
            default:
                return "refused the call: " + detail(description, status.getCode().name().toLowerCase(Locale.ROOT));
        }
    }

    private static Status statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException e) {
                return e.getStatus();
            }
            if (t instanceof StatusException e) {
                return e.getStatus();
            }
        }
        return null;
    }

    private static IOException ioCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String unreachable(IOException io) {
        if (io instanceof UnknownHostException) {
            return "is unreachable (unknown host)";
        }
        if (io instanceof NoRouteToHostException) {
            return "is unreachable (no route to host)";
        }
        if (io instanceof SocketTimeoutException || io.getClass().getSimpleName().equals("ConnectTimeoutException")) {
            return "is unreachable (connection timed out)";
        }
        String reason = ioReason(io);
        return io instanceof ConnectException ? "is unreachable (" + reason + ")" : "dropped the connection (" + reason + ")";
    }

    /**
     * What an I/O failure says, as an operator reads it ("connection refused", "address already in
     * use"): without Netty's system-call prefix ("bind(..) failed with error(-98): ") or its
     * address suffix (": /127.0.0.1:7077").
     */
    static String ioReason(Throwable io) {
        String message = io.getMessage();
        if (message != null) {
            message = NATIVE_PREFIX.matcher(message).replaceFirst("");
            int annotation = message.indexOf(": /");
            if (annotation > 0) {
                message = message.substring(0, annotation);
            }
        }
        return detail(message, io.getClass().getSimpleName());
    }

    private static String elapsed(String description) {
        if (description != null) {
            Matcher m = ELAPSED.matcher(description);
            if (m.find()) {
                try {
                    return Durations.formatRounded(Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * 1e9)));
                } catch (NumberFormatException | ArithmeticException ignored) {
                    // fall through
                }
            }
        }
        return "the deadline";
    }

    private static String suffix(String description) {
        return description == null || description.isBlank() ? "" : ": " + detail(description, "");
    }

    /** One line, at most a few hundred characters, starting lower-case. */
    private static String detail(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        String line = message.strip().replaceAll("\\s+", " ");
        if (line.length() > MAX_DETAIL) {
            line = line.substring(0, MAX_DETAIL) + "...";
        }
        if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && !Character.isUpperCase(line.charAt(1))) {
            line = Character.toLowerCase(line.charAt(0)) + line.substring(1);
        }
        return line;
    }
}
