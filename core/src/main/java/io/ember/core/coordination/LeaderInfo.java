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
 * <p>On the wire it is UTF-8 text, each line ended by {@code '\n'}: version 2, five lines, when the
 * leader serves a web UI, and version 1, the first four of them, when it does not (as every leader
 * wrote before there were web UIs, so older readers still follow such a leader):
 *
 * <pre>
 * ember-leader v2
 * masterId=master-a
 * address=10.0.0.5:7077
 * epoch=3
 * uiUrl=http://10.0.0.5:8080
 * </pre>
 *
 * <p>{@link #decode} accepts both versions and nothing else (a future version is refused by name),
 * so a reader never acts on a half-understood record.
 *
 * @param masterId the leader's id (no whitespace or control characters)
 * @param address where the leader's RPC server listens, {@code host:port}
 * @param epoch the leadership's epoch, at least 1; a later leadership always has a higher one
 * @param uiUrl the base URL of the leader's web UI and REST API, {@code http://host:port}; empty when
 *     it serves none
 */
public record LeaderInfo(String masterId, String address, long epoch, String uiUrl) {

    /** The newest version this class writes and reads. */
    public static final int VERSION = 2;

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
        requireNonNull(uiUrl, "uiUrl is null");
        if (!uiUrl.isEmpty() && (!(uiUrl.startsWith("http://") || uiUrl.startsWith("https://"))
                || !uiUrl.chars().allMatch(c -> c > ' ' && !Character.isISOControl(c)))) {
            throw new IllegalArgumentException("uiUrl must be empty or an http(s) URL without whitespace: '" + uiUrl
                    + "'");
        }
    }

    /** A leader that serves no web UI. */
    public LeaderInfo(String masterId, String address, long epoch) {
        this(masterId, address, epoch, "");
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

    /** The record's wire form (see the class documentation): version 1 without a web UI, 2 with one. */
    public byte[] encode() {
        String common = "\nmasterId=" + masterId + "\naddress=" + address + "\nepoch=" + epoch + "\n";
        return (uiUrl.isEmpty() ? HEADER + 1 + common : HEADER + VERSION + common + "uiUrl=" + uiUrl + "\n")
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
            throw new IllegalArgumentException("not a leader record: expected it to start with '" + HEADER
                    + "<version>', got '" + abbreviate(text) + "'");
        }
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("not a leader record: the last line is not complete");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        String version = lines[0].substring(HEADER.length());
        int expectedLines;
        if (version.equals("1")) {
            expectedLines = 4;
        } else if (version.equals(Integer.toString(VERSION))) {
            expectedLines = 5;
        } else {
            throw new IllegalArgumentException("leader record version '" + abbreviate(version) + "' is not supported"
                    + " (this Ember reads versions 1 to " + VERSION + "); are masters and this process the same Ember "
                    + "version?");
        }
        if (lines.length != expectedLines) {
            throw new IllegalArgumentException("malformed leader record: expected " + expectedLines + " lines, got "
                    + lines.length);
        }
        String masterId = field(lines[1], "masterId");
        String address = field(lines[2], "address");
        String epochText = field(lines[3], "epoch");
        String uiUrl = expectedLines == 5 ? field(lines[4], "uiUrl") : "";
        long epoch;
        try {
            epoch = Long.parseLong(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed leader record: epoch '" + abbreviate(epochText)
                    + "' is not a number");
        }
        try {
            return new LeaderInfo(masterId, address, epoch, uiUrl);
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
