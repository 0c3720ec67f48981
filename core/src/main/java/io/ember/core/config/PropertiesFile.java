package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code .properties} file read in UTF-8 with the line number of every entry, which
 * {@link Properties} forgets.
 *
 * <p>The syntax is that of {@link Properties#load(Reader)}: {@code #} and
 * {@code !} start comment lines; a key ends at the first unescaped {@code =}, {@code :} or white
 * space; a line ending in an odd number of backslashes continues on the next, whose leading white
 * space is dropped; {@code \t}, {@code \n}, {@code \r}, {@code \f} and {@code \}{@code uXXXX}
 * escape characters and a backslash before any other character stands for that character. Unlike
 * {@code Properties}, a malformed {@code \}{@code u} escape, an empty key, bytes that are not
 * UTF-8 and a key set twice are reported as {@link Problem}s.
 *
 * <p>Instances are immutable.
 *
 * @param entries the entries in file order, duplicates included
 * @param problems what is wrong with the file's text
 */
record PropertiesFile(List<Entry> entries, List<Problem> problems) {

    PropertiesFile {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    /**
     * One {@code key=value} entry.
     *
     * @param line the line the entry starts on, from 1
     */
    record Entry(String key, String value, int line) {
        Entry {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    /**
     * Something wrong with the text.
     *
     * @param key the key concerned, empty when none is
     * @param line the line, from 1; 0 for the whole file
     */
    record Problem(String key, int line, String message) {
        Problem {
            requireNonNull(key, "key is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Reads a file; a file that cannot be read gives one problem and no entries. */
    static PropertiesFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new PropertiesFile(List.of(), List.of(new Problem("", 0, "cannot be read: " + describe(e))));
        }
        List<Problem> problems = new ArrayList<>();
        String text = decode(bytes, problems);
        PropertiesFile parsed = parse(text);
        problems.addAll(parsed.problems());
        return new PropertiesFile(parsed.entries(), problems);
    }

    /** Parses text already decoded. */
    static PropertiesFile parse(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> firstLines = new HashMap<>();
        int next = 0;
        while (next < lines.length) {
            int startLine = next + 1;
            String line = stripLeadingWhitespace(lines[next++]);
            // A lone backslash before a line with text continues nothing: as in Properties, that line
            // starts afresh (and may be a comment). Before a blank line or the end, it is an entry
            // without a key, reported below.
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!' || line.equals("\\")
                    && next < lines.length && !stripLeadingWhitespace(lines[next]).isEmpty()) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (continues(line)) {
                logical.append(line, 0, line.length() - 1);
                if (next == lines.length) {
                    line = "";
                    break;
                }
                line = stripLeadingWhitespace(lines[next++]);
            }
            logical.append(line);
            parseEntry(logical.toString(), startLine, entries, problems, firstLines);
        }
        return new PropertiesFile(entries, problems);
    }

    private static void parseEntry(String text, int line, List<Entry> entries, List<Problem> problems,
                                   Map<String, Integer> firstLines) {
        int at = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\') {
                at += 2;
            } else if (c == '=' || c == ':' || isWhitespace(c)) {
                break;
            } else {
                at++;
            }
        }
        at = Math.min(at, text.length());
        int keyEnd = at;
        while (at < text.length() && isWhitespace(text.charAt(at))) {
            at++;
        }
        if (at < text.length() && (text.charAt(at) == '=' || text.charAt(at) == ':')) {
            at++;
        }
        while (at < text.length() && isWhitespace(text.charAt(at))) {
            at++;
        }
        String key;
        String value;
        try {
            key = unescape(text.substring(0, keyEnd));
            value = unescape(text.substring(at));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(safeKey(text.substring(0, keyEnd)), line, e.getMessage()));
            return;
        }
        if (key.isEmpty()) {
            problems.add(new Problem("", line, "an entry without a key: '" + text + "'"));
            return;
        }
        Integer first = firstLines.putIfAbsent(key, line);
        if (first != null) {
            problems.add(new Problem(key, line, "is set twice in this file, also at line " + first));
        }
        entries.add(new Entry(key, value, line));
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == text.length()) {
                break;
            }
            char escaped = text.charAt(i);
            switch (escaped) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    String hex = text.substring(i + 1, Math.min(i + 5, text.length()));
                    if (hex.length() < 4 || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw new IllegalArgumentException("malformed escape '\\u" + hex
                                + "': \\u must be followed by four hexadecimal digits");
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    /** The key as written, for a problem in an entry whose escapes cannot be read. */
    private static String safeKey(String rawKey) {
        try {
            return unescape(rawKey);
        } catch (IllegalArgumentException e) {
            return rawKey;
        }
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripLeadingWhitespace(String line) {
        int at = 0;
        while (at < line.length() && isWhitespace(line.charAt(at))) {
            at++;
        }
        return line.substring(at);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    /**
     * Decodes strict UTF-8; bytes that are not UTF-8 give a problem naming their line and are
     * replaced, so the rest of the file is still checked. A leading byte-order mark is dropped.
     */
    private static String decode(byte[] bytes, List<Problem> problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        boolean reported = false;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                break;
            }
            if (result.isOverflow()) {
                throw new IllegalStateException("UTF-8 decoded to more characters than bytes");
            }
            if (!reported) {
                problems.add(new Problem("", lineAt(bytes, in.position()), "is not valid UTF-8"));
                reported = true;
            }
            in.position(in.position() + result.length());
            out.put('\uFFFD');
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static int lineAt(byte[] bytes, int position) {
        int line = 1;
        for (int i = 0; i < position; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
