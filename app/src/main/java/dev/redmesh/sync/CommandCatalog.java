package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the source Redis says about its own commands ({@code COMMAND}): names, so that every command
 * of the stream is understood (a relay must never drop one it does not know), and key positions, so
 * that key filters and slot routing see the keys of any command.
 */
public final class CommandCatalog {

    /** @param lastKey negative counts from the end, as Redis reports it */
    public record Spec(String name, Set<String> flags, int firstKey, int lastKey, int step) {

        /** Index in the arguments (after the name) of the first key among {@code args}, or -1 for none. */
        int firstKeyIndex(int args) {
            int argc = args + 1; // positions count the name
            int last = lastKey < 0 ? argc + lastKey : lastKey;
            return firstKey > 0 && step > 0 && firstKey <= last && firstKey < argc ? firstKey - 1 : -1;
        }
    }

    private final Map<String, Spec> specs;

    private CommandCatalog(Map<String, Spec> specs) {
        this.specs = specs;
    }

    /** Reads the reply of {@code COMMAND} (RESP2 arrays). */
    public static CommandCatalog fromCommandReply(List<Object> reply) {
        Map<String, Spec> specs = new HashMap<>();
        for (Object entry : reply) {
            if (!(entry instanceof List<?> fields) || fields.size() < 6) {
                continue;
            }
            String name = text(fields.get(0)).toUpperCase(Locale.ROOT);
            Set<String> flags = ((List<?>) fields.get(2)).stream().map(CommandCatalog::text).collect(Collectors.toSet());
            specs.put(name, new Spec(name, flags, number(fields.get(3)), number(fields.get(4)), number(fields.get(5))));
        }
        return new CommandCatalog(specs);
    }

    public Set<String> names() {
        return specs.keySet();
    }

    /**
     * Where the first key of a stream command sits among its arguments, by the source's own key
     * specs; -1 for commands without keys or unknown to the source. Filters test this key and
     * Redis Cluster targets route by it.
     */
    public int firstKeyIndex(ReplicationEvent.Command command) {
        Spec spec = specs.get(command.name());
        return spec == null ? -1 : spec.firstKeyIndex(command.args().length);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(text(value));
    }
}
