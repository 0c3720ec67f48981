package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.config.PropertiesFile.Entry;
import io.ember.core.config.PropertiesFile.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PropertiesFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEntriesSeparatedByEqualsColonOrSpace() {
        PropertiesFile file = PropertiesFile.parse("a=1\nb: 2\nc 3\nd = 4\ne\n");
        assertEquals(List.of(new Entry("a", "1", 1), new Entry("b", "2", 2), new Entry("c", "3", 3),
                new Entry("d", "4", 4), new Entry("e", "", 5)), file.entries());
        assertEquals(List.of(), file.problems());
    }

    @Test
    void keepsTrailingWhitespaceAndLaterSeparatorsInTheValue() {
        PropertiesFile file = PropertiesFile.parse("url = a=b:c \n");
        assertEquals(List.of(new Entry("url", "a=b:c ", 1)), file.entries());
    }

    @Test
    void skipsCommentsBlankLinesAndLeadingWhitespace() {
        PropertiesFile file = PropertiesFile.parse("# a comment\n   ! another\n\n \t\f\n    key=value\r\n");
        assertEquals(List.of(new Entry("key", "value", 5)), file.entries());
    }

    @Test
    void joinsContinuedLinesDroppingTheirLeadingWhitespace() {
        PropertiesFile file = PropertiesFile.parse("list = a,\\\n       b,\\\n  c\nnext=1\n");
        assertEquals(List.of(new Entry("list", "a,b,c", 1), new Entry("next", "1", 4)), file.entries());
    }

    /** Found by PropertiesFileFuzzTest: Properties reads nothing here, and Ember read an entry "#x". */
    @Test
    void aLoneBackslashContinuesNothingSoTheNextLineMayBeAComment() {
        PropertiesFile file = PropertiesFile.parse("\\\n#x=1\n\\\nkey=value\n");
        assertEquals(List.of(new Entry("key", "value", 4)), file.entries());
        assertEquals(List.of(), file.problems());
    }

    @Test
    void treatsACommentMarkerOnAContinuationLineAsText() {
        PropertiesFile file = PropertiesFile.parse("a=x\\\n  # not a comment\n");
        assertEquals(List.of(new Entry("a", "x# not a comment", 1)), file.entries());
    }

    @Test
    void doesNotContinueALineEndingInAnEscapedBackslash() {
        PropertiesFile file = PropertiesFile.parse("dir=C:\\\\temp\\\\\nnext=1\n");
        assertEquals(List.of(new Entry("dir", "C:\\temp\\", 1), new Entry("next", "1", 2)), file.entries());
    }

    @Test
    void unescapesControlCharactersUnicodeAndSeparators() {
        PropertiesFile file = PropertiesFile.parse("a\\=b\\:c\\ d = tab\\there\\nnew \\u00e9t\\u00E9 \\x\n");
        assertEquals(List.of(new Entry("a=b:c d", "tab\there\nnew été x", 1)), file.entries());
    }

    @Test
    void reportsAMalformedUnicodeEscapeWithItsLine() {
        PropertiesFile file = PropertiesFile.parse("ok=1\nbad=caf\\u00g9\n");
        assertEquals(List.of(new Entry("ok", "1", 1)), file.entries());
        assertEquals(List.of(new Problem("bad", 2,
                "malformed escape '\\u00g9': \\u must be followed by four hexadecimal digits")), file.problems());
    }

    @Test
    void reportsATruncatedUnicodeEscape() {
        PropertiesFile file = PropertiesFile.parse("bad=\\u12");
        assertEquals(1, file.problems().size());
        assertEquals(1, file.problems().get(0).line());
    }

    @Test
    void reportsAKeySetTwiceNamingBothLines() {
        PropertiesFile file = PropertiesFile.parse("a=1\nb=2\na=3\n");
        assertEquals(List.of(new Problem("a", 3, "is set twice in this file, also at line 1")), file.problems());
        assertEquals(3, file.entries().size());
    }

    @Test
    void reportsAnEntryWithoutAKey() {
        PropertiesFile file = PropertiesFile.parse("=orphan\n");
        assertEquals(List.of(), file.entries());
        assertEquals(List.of(new Problem("", 1, "an entry without a key: '=orphan'")), file.problems());
    }

    @Test
    void readsUtf8AndDropsAByteOrderMark() throws IOException {
        Path path = dir.resolve("a.properties");
        Files.writeString(path, "\uFEFFname=Zoë ⚙\n", StandardCharsets.UTF_8);
        assertEquals(List.of(new Entry("name", "Zoë ⚙", 1)), PropertiesFile.read(path).entries());
    }

    @Test
    void reportsBytesThatAreNotUtf8WithTheirLineAndReadsTheRest() throws IOException {
        Path path = dir.resolve("latin1.properties");
        Files.write(path, "a=1\r\nb=caf\u00e9\nc=3\n".getBytes(StandardCharsets.ISO_8859_1));
        PropertiesFile file = PropertiesFile.read(path);
        assertEquals(List.of(new Problem("", 2, "is not valid UTF-8")), file.problems());
        assertEquals(List.of("a", "b", "c"), file.entries().stream().map(Entry::key).toList());
    }

    @Test
    void reportsAFileThatCannotBeRead() throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("ember.properties"));
        PropertiesFile file = PropertiesFile.read(notAFile);
        assertEquals(List.of(), file.entries());
        assertEquals(1, file.problems().size());
        assertEquals(0, file.problems().get(0).line());
        assertTrue(file.problems().get(0).message().startsWith("cannot be read: "), file.problems().get(0).message());
    }
}
