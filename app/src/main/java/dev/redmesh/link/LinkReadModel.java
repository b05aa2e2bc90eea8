package dev.redmesh.link;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The links as other features read them (the fleet's reconciler, its orders), through this package,
 * which owns the {@code replication_link} table: a reader composes {@link #QUERY} into its own round
 * trip and maps its rows with {@link #row}.
 */
public final class LinkReadModel {

    /** Every link, in id order. */
    public static final String QUERY = "select id, source_cluster, target_cluster, mode, state, include_patterns, "
            + "exclude_patterns, state_reason, state_changed_at from replication_link order by id";

    /**
     * @param reason why the link is in its state, as the API shows it
     * @param since  when it entered that state
     */
    public record Row(String id, String source, String target, LinkMode mode, LinkState state, List<String> include,
                      List<String> exclude, String reason, java.time.Instant since) {

        public Row(String id, String source, String target, LinkMode mode, LinkState state, List<String> include,
                   List<String> exclude) {
            this(id, source, target, mode, state, include, exclude, null, null);
        }
    }

    private LinkReadModel() {
    }

    public static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("source_cluster"), rs.getString("target_cluster"),
                LinkMode.valueOf(rs.getString("mode")), LinkState.valueOf(rs.getString("state")),
                strings(rs.getArray("include_patterns")), strings(rs.getArray("exclude_patterns")), rs.getString("state_reason"),
                rs.getTimestamp("state_changed_at") == null ? null : rs.getTimestamp("state_changed_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
