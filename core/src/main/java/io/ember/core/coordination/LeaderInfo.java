package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/**
 * Who leads the cluster: what the leader master publishes at {@code master/leader} for workers,
 * drivers and standbys.
 *
 * <p>On the wire it is UTF-8 text, exactly four lines, each ended by {@code '\n'}:
 *
 * <pre>
 * ember-leader v1
 * masterId=master-a
 * address=10.0.0.5:7077
 * epoch=3
 * </pre>
 *
 * <p>{@link #decode} accepts nothing else (a future version is refused by name), so a reader
 * never acts on a half-understood record.
 *
 * @param masterId the leader's id (no whitespace or control characters)
 * @param address where the leader's RPC server listens, {@code host:port}
 * @param epoch the leadership's epoch, at least 1; a later leadership always has a higher one
 */
public record LeaderInfo(String masterId, String address, long epoch) {

    /** The version this class writes and reads. */
    public static final int VERSION = 1;

    private static final String HEADER = "ember-leader v";

    public LeaderInfo {
        requireNonNull(masterId, "masterId is null");
        requireNonNull(address, "address is null");
        if (masterId.isEmpty() || !masterId.chars().allMatch(c -> c > ' ' && !Character.isISOControl(c))) {
            throw new IllegalArgumentException("master id must be non-empty, without whitespace or control "
                    + "characters: '" + masterId + "'");
        }
        checkAddress(address);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
        }
    }

    /** The host part of the address (without brackets for an IPv6 literal). */
    public String host() {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port part of the address. */
    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The record's wire form (see the class documentation). */
    public byte[] encode() {
        return (HEADER + VERSION + "\nmasterId=" + masterId + "\naddress=" + address + "\nepoch=" + epoch + "\n")
                .getBytes(UTF_8);
    }

    /**
     * Reads a record written by {@link #encode()}.
     *
     * @throws IllegalArgumentException saying what is wrong, when the bytes are not exactly such
     *     a record
     */
    public static LeaderInfo decode(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        String text;
        try {
            text = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not a leader record: not UTF-8 text");
        }
        if (!text.startsWith(HEADER)) {
            throw new IllegalArgumentException("not a leader record: expected it to start with '" + HEADER + VERSION
                    + "', got '" + abbreviate(text) + "'");
        }
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("not a leader record: the last line is not complete");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        String version = lines[0].substring(HEADER.length());
        if (!version.equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException("leader record version '" + abbreviate(version) + "' is not supported"
                    + " (this Ember reads version " + VERSION + "); are masters and this process the same Ember version?");
        }
        if (lines.length != 4) {
            throw new IllegalArgumentException("malformed leader record: expected 4 lines, got " + lines.length);
        }
        String masterId = field(lines[1], "masterId");
        String address = field(lines[2], "address");
        String epochText = field(lines[3], "epoch");
        long epoch;
        try {
            epoch = Long.parseLong(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed leader record: epoch '" + abbreviate(epochText)
                    + "' is not a number");
        }
        try {
            return new LeaderInfo(masterId, address, epoch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed leader record: " + e.getMessage(), e);
        }
    }

    private static String field(String line, String name) {
        String prefix = name + "=";
        if (!line.startsWith(prefix)) {
            throw new IllegalArgumentException("malformed leader record: expected '" + prefix + "...', got '"
                    + abbreviate(line) + "'");
        }
        return line.substring(prefix.length());
    }

    private static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1
                || !address.chars().allMatch(c -> c > ' ' && !Character.isISOControl(c))) {
            throw new IllegalArgumentException("address must be host:port: '" + address + "'");
        }
        String port = address.substring(colon + 1);
        int value;
        try {
            value = port.chars().allMatch(c -> c >= '0' && c <= '9') && port.length() <= 5 ? Integer.parseInt(port) : -1;
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > 65_535) {
            throw new IllegalArgumentException("address must be host:port with a port in 1..65535: '" + address + "'");
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...";
    }
}
