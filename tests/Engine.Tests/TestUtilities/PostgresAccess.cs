using System.Globalization;
using System.Text;
using CimLite.Storage.Postgres;

namespace CimLite.Tests;

/// <summary>The PostgreSQL backend behind a session, for tests that look at its tables (issue 18).</summary>
internal static class PostgresAccess
{
    /// <summary>The session's PostgreSQL repository, or null when the session runs on another backend.</summary>
    public static PostgresRepository? Postgres(this CimLiteSession session) => session.Repository as PostgresRepository;

    /// <summary>Everything the repository's tables hold, as text (the PostgreSQL side of <c>SessionFixture.Snapshot</c>).</summary>
    public static string Dump(PostgresRepository repository)
    {
        var sb = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT id, name FROM namespaces ORDER BY id",
            "SELECT id, namespace_id, name, superclass_id, definition, amended FROM classes ORDER BY id",
            "SELECT id, class_id, key_root_id, key, data, qualifiers FROM instances ORDER BY id",
            "SELECT name, value FROM cimlite_format ORDER BY name",
            "SELECT id, namespace, class_name, data, qualifiers, posted_at FROM posted ORDER BY id",
            "SELECT id, namespace, class_name, data, qualifiers, posted_at, taken_ms FROM posted_taken ORDER BY id",
            "SELECT id, namespace_id, name, definition FROM qualifier_types ORDER BY id",
            "SELECT instance_id, property, class_id, target_root_id, target_key FROM instance_references ORDER BY instance_id, property",
        })
        {
            sb.Append("## ").Append(sql).Append('\n');
            foreach (var row in repository.Rows(sql, reader =>
            {
                var line = new StringBuilder();
                for (int i = 0; i < reader.FieldCount; i++)
                    line.Append(reader.IsDBNull(i) ? "<null>" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                return line.ToString();
            }))
                sb.Append(row).Append('\n');
        }
        return sb.ToString();
    }
}
