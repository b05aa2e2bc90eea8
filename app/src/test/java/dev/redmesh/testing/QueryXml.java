package dev.redmesh.testing;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the XML an AWS Query-protocol service answers with: elements in the service's
 * namespace, ISO-8601 UTC timestamps with milliseconds, absent values left out rather than
 * written empty (the SDK would read an empty element as an empty string, not as null).
 */
final class QueryXml {

    static final String ELASTICACHE_NAMESPACE = "http://elasticache.amazonaws.com/doc/2015-02-02/";

    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** The root element, in the ElastiCache namespace. */
    static QueryXml root(String name) {
        QueryXml xml = new QueryXml();
        xml.out.append('<').append(name).append(" xmlns=\"").append(ELASTICACHE_NAMESPACE).append("\">");
        xml.open.push(name);
        return xml;
    }

    QueryXml start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    QueryXml end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** {@code <name>value</name>}, or nothing when the value is null. */
    QueryXml element(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(escape(text(value))).append("</").append(name).append('>');
        }
        return this;
    }

    String finish() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString();
    }

    private static String text(Object value) {
        return value instanceof Instant instant
                ? DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS))
                : value.toString();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
