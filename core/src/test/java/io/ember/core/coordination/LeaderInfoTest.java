package io.ember.core.coordination;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class LeaderInfoTest {

    @Test
    void encodesAsFourStrictLines() {
        LeaderInfo info = new LeaderInfo("master-a", "10.0.0.5:7077", 3);
        assertEquals("ember-leader v1\nmasterId=master-a\naddress=10.0.0.5:7077\nepoch=3\n",
                new String(info.encode(), UTF_8));
        assertEquals(info, LeaderInfo.decode(info.encode()));
        assertEquals("10.0.0.5", info.host());
        assertEquals(7077, info.port());
    }

    @Test
    void aLeaderWithAWebUiWritesVersionTwoWithItsUrlOnAFifthLine() {
        LeaderInfo info = new LeaderInfo("master-a", "10.0.0.5:7077", 3, "http://10.0.0.5:8080");

        assertEquals("ember-leader v2\nmasterId=master-a\naddress=10.0.0.5:7077\nepoch=3\nuiUrl=http://10.0.0.5:8080\n",
                new String(info.encode(), UTF_8));
        assertEquals(info, LeaderInfo.decode(info.encode()));
    }

    @Test
    void readsAVersionOneRecordAsALeaderWithoutAWebUi() {
        LeaderInfo info = LeaderInfo.decode("ember-leader v1\nmasterId=m\naddress=h:1\nepoch=2\n".getBytes(UTF_8));

        assertEquals(new LeaderInfo("m", "h:1", 2, ""), info);
    }

    @Test
    void readsIpv6Addresses() {
        LeaderInfo info = LeaderInfo.decode(new LeaderInfo("m", "[::1]:7077", 1).encode());
        assertEquals("::1", info.host());
        assertEquals(7077, info.port());
    }

    @Test
    void refusesAnythingElseWithAClearMessage() {
        assertEquals("not a leader record: expected it to start with 'ember-leader v<version>', got 'hello'",
                error("hello"));
        assertEquals("leader record version '3' is not supported (this Ember reads versions 1 to 2); are masters and "
                + "this process the same Ember version?", error("ember-leader v3\nwhatever\n"));
        assertEquals("malformed leader record: expected 5 lines, got 4",
                error("ember-leader v2\nmasterId=m\naddress=h:1\nepoch=1\n"));
        assertEquals("malformed leader record: expected 'uiUrl=...', got 'ui=x'",
                error("ember-leader v2\nmasterId=m\naddress=h:1\nepoch=1\nui=x\n"));
        assertEquals("malformed leader record: uiUrl must be empty or an http(s) URL without whitespace: 'ftp://h'",
                error("ember-leader v2\nmasterId=m\naddress=h:1\nepoch=1\nuiUrl=ftp://h\n"));
        assertEquals("not a leader record: the last line is not complete",
                error("ember-leader v1\nmasterId=m\naddress=h:1\nepoch=1"));
        assertEquals("malformed leader record: expected 4 lines, got 5",
                error("ember-leader v1\nmasterId=m\naddress=h:1\nepoch=1\nextra=1\n"));
        assertEquals("malformed leader record: expected 'address=...', got 'epoch=1'",
                error("ember-leader v1\nmasterId=m\nepoch=1\naddress=h:1\n"));
        assertEquals("malformed leader record: epoch 'x' is not a number",
                error("ember-leader v1\nmasterId=m\naddress=h:1\nepoch=x\n"));
        assertEquals("malformed leader record: epoch must be >= 1: 0",
                error("ember-leader v1\nmasterId=m\naddress=h:1\nepoch=0\n"));
        assertEquals("malformed leader record: address must be host:port with a port in 1..65535: 'h:70000'",
                error("ember-leader v1\nmasterId=m\naddress=h:70000\nepoch=1\n"));
        assertEquals("not a leader record: not UTF-8 text",
                assertThrows(IllegalArgumentException.class,
                        () -> LeaderInfo.decode(new byte[] {(byte) 0xff, (byte) 0xfe})).getMessage());
    }

    @Test
    void checksItsFields() {
        assertThrows(IllegalArgumentException.class, () -> new LeaderInfo("a b", "h:1", 1));
        assertThrows(IllegalArgumentException.class, () -> new LeaderInfo("m", "nohost", 1));
        assertThrows(IllegalArgumentException.class, () -> new LeaderInfo("m", ":1", 1));
        assertThrows(IllegalArgumentException.class, () -> new LeaderInfo("m", "h:0", 1));
        assertThrows(IllegalArgumentException.class, () -> new LeaderInfo("m", "h:1", 0));
        assertThrows(NullPointerException.class, () -> new LeaderInfo(null, "h:1", 1));
    }

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> LeaderInfo.decode(text.getBytes(UTF_8))).getMessage();
    }
}
