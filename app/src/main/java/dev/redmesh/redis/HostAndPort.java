package dev.redmesh.redis;

import java.util.Optional;
import java.util.regex.Pattern;

/** A Redis address as operators write it: {@code host:port}, {@code 10.0.0.1:6379} or {@code [::1]:6379}. */
public record HostAndPort(String host, int port) {

    private static final Pattern HOSTNAME =
            Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Parses {@code value}, or explains why it is not an address. */
    public static Optional<HostAndPort> parse(String value, StringBuilder why) {
        if (value == null || value.isBlank()) {
            why.append("must be host:port");
            return Optional.empty();
        }
        String host;
        String portText;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                why.append("must be [ipv6]:port");
                return Optional.empty();
            }
            host = value.substring(1, close);
            portText = value.substring(close + 2);
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                why.append("'").append(host).append("' is not an IPv6 address");
                return Optional.empty();
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                why.append("must be host:port (IPv6 as [addr]:port)");
                return Optional.empty();
            }
            host = value.substring(0, colon);
            portText = value.substring(colon + 1);
            if (!HOSTNAME.matcher(host).matches()) {
                why.append("'").append(host).append("' is not a valid host name or IPv4 address");
                return Optional.empty();
            }
        }
        if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            why.append("port must be a number from 1 to 65535");
            return Optional.empty();
        }
        return Optional.of(new HostAndPort(host, Integer.parseInt(portText)));
    }

    /** Parses an address already known to be valid (stored or discovered), or empty if it is not one. */
    public static Optional<HostAndPort> parse(String value) {
        return parse(value, new StringBuilder());
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
