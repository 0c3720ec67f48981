package io.ember.core.web;

import java.util.List;

/**
 * Small helpers for the server-rendered pages: escaping, the common page frame with its style
 * sheet, tables. Pages are plain HTML with no script; every value from outside (names, messages,
 * settings) goes through {@link #escape}.
 */
public final class Html {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430}
            header{background:#23303f;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:baseline}
            header a{color:#cfe3ff;text-decoration:none}header b{font-size:18px}
            main{padding:8px 24px 32px}h1{font-size:22px;margin:16px 0 8px}h2{font-size:17px;margin:22px 0 6px}
            table{border-collapse:collapse;margin:6px 0 12px;min-width:40%}
            th,td{border-bottom:1px solid #dde3ea;padding:4px 10px;text-align:left;vertical-align:top}
            th{background:#f2f5f8;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#17733a}.bad{color:#b3261e}.run{color:#1f5fbf}.dim{color:#68737f}
            dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:600}dd{margin:0}
            .bar{display:inline-block;height:10px;background:#1f5fbf;vertical-align:middle}
            svg text{font:11px system-ui,sans-serif}
            """;

    private Html() {
    }

    /** {@code text} with {@code & < > " '} escaped, safe in an element or a quoted attribute. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A link; {@code href} and {@code text} are escaped. */
    public static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }

    /**
     * A whole page.
     *
     * @param title the page's title (escaped)
     * @param navigation the header's links, already HTML
     * @param body the page's content, already HTML
     */
    public static String page(String title, String navigation, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + " · Ember</title><meta name=\"viewport\" content=\"width=device-width\"><style>" + STYLE
                + "</style></head><body><header id=\"nav\"><b>Ember</b>" + navigation + "</header><main><h1>" + escape(title)
                + "</h1>\n" + body + "\n</main></body></html>\n";
    }

    /**
     * A table.
     *
     * @param id the table's {@code id} attribute (for tests and links)
     * @param headers the column headers, escaped; a header starting with {@code #} is a numeric
     *     column (right-aligned; the {@code #} is not shown)
     * @param rows the cells, already HTML
     */
    public static String table(String id, List<String> headers, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("<table id=\"").append(escape(id)).append("\"><thead><tr>");
        boolean[] numeric = new boolean[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            String header = headers.get(i);
            numeric[i] = header.startsWith("#");
            out.append(numeric[i] ? "<th class=\"n\">" : "<th>").append(escape(numeric[i] ? header.substring(1)
                    : header)).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.append(i < numeric.length && numeric[i] ? "<td class=\"n\">" : "<td>").append(row.get(i))
                        .append("</td>");
            }
            out.append("</tr>");
        }
        if (rows.isEmpty()) {
            out.append("<tr><td colspan=\"").append(headers.size()).append("\" class=\"dim\">none</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** A definition list of label/value pairs, values already HTML. */
    public static String facts(List<List<String>> pairs) {
        StringBuilder out = new StringBuilder("<dl>");
        for (List<String> pair : pairs) {
            out.append("<dt>").append(escape(pair.get(0))).append("</dt><dd>").append(pair.get(1)).append("</dd>");
        }
        return out.append("</dl>").toString();
    }
}
