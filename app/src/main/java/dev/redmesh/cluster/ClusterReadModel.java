package dev.redmesh.cluster;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The clusters as other features read them — what a worker needs to connect — through this package,
 * which owns the {@code cluster} table: a reader composes {@link #QUERY} into its own round trip and
 * maps its rows with {@link #row}; a change of the table changes only this file.
 */
public final class ClusterReadModel {

    /** Every cluster's connection details, in name order. */
    public static final String QUERY = """
            select name, mode, seeds, username, password_ciphertext, tls, capture, psync_refused
            from cluster order by name""";

    /**
     * @param passwordCiphertext as stored; {@link ClusterSecrets} decrypts it for the orders that need it
     */
    public record Row(String name, ClusterMode mode, List<String> seeds, String username, String passwordCiphertext,
                      boolean tls, ClusterCapture capture, boolean psyncRefused) {

        /** Read by keyspace capture: a link writing into it must bracket its units for that capture. */
        public boolean readsKeyspace() {
            return capture.readsKeyspace(mode, psyncRefused);
        }

        /** Written to as a Redis Cluster (slot routing); a standalone master otherwise. */
        public boolean clustered() {
            return mode == ClusterMode.CLUSTER;
        }
    }

    private ClusterReadModel() {
    }

    public static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("name"), ClusterMode.valueOf(rs.getString("mode")), strings(rs.getArray("seeds")),
                rs.getString("username"), rs.getString("password_ciphertext"), rs.getBoolean("tls"),
                ClusterCapture.valueOf(rs.getString("capture")), rs.getBoolean("psync_refused"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
