package dev.quire.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Versioned schema migrations: an ordered list of SQL scripts and a {@code schema_version} table recording which
 * have run. Each migration is applied in its own transaction; a database written by a newer version is refused.
 */
public final class Migrations {
    /** One step; never edit one that has shipped, add the next. */
    public record Migration(int version, String description, List<String> statements) {
        public Migration {
            statements = List.copyOf(statements);
        }
    }

    private Migrations() {
    }

    /** The newest version of {@code migrations} (in order, oldest first). */
    public static int latest(List<Migration> migrations) {
        return migrations.get(migrations.size() - 1).version();
    }

    /**
     * Brings the schema up to date. The connection must not auto-commit.
     *
     * @param tooNew the error for a database with a newer version than any of {@code migrations}, given that version
     */
    public static void apply(Connection connection, List<Migration> migrations, IntFunction<RuntimeException> tooNew)
            throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                      version     INTEGER PRIMARY KEY,
                      description VARCHAR(200) NOT NULL,
                      applied_at  TIMESTAMP(9) WITH TIME ZONE NOT NULL
                    )""");
        }
        int current = currentVersion(connection);
        if (current > latest(migrations)) {
            throw tooNew.apply(current);
        }
        for (Migration m : migrations) {
            if (m.version() <= current) {
                continue;
            }
            try (Statement st = connection.createStatement()) {
                for (String sql : m.statements()) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.description());
                ps.setObject(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                ps.executeUpdate();
            }
            connection.commit();
        }
    }

    /** The version recorded in {@code schema_version}, 0 for none. */
    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
