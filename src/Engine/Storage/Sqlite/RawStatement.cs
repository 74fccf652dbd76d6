using System;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CimLite.Storage
{
    /// <summary>
    /// A statement prepared once on the connection's native handle and reused (bind, step, reset) for the
    /// hottest per-instance statements: it skips ADO.NET's per-execution reader, parameter-name lookups and
    /// allocations. It runs inside whatever transaction the connection has open, like any other statement.
    /// </summary>
    internal sealed class RawStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private sqlite3_stmt? _statement;

        public RawStatement(sqlite3 db, string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out var statement));
            _statement = statement;
        }

        private sqlite3_stmt Statement => _statement ?? throw new ObjectDisposedException(nameof(RawStatement));

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }

        public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(Statement, index, value));

        public void Bind(int index, string? value) =>
            Check(value == null ? raw.sqlite3_bind_null(Statement, index) : raw.sqlite3_bind_text(Statement, index, value));

        /// <summary>Steps once: true with a row to read, false when done. An error resets the statement and throws.</summary>
        public bool Step()
        {
            int rc = raw.sqlite3_step(Statement);
            if (rc == raw.SQLITE_ROW) return true;
            if (rc == raw.SQLITE_DONE) return false;
            var message = raw.sqlite3_errmsg(_db).utf8_to_string();
            int extended = raw.sqlite3_extended_errcode(_db);
            raw.sqlite3_reset(Statement);
            throw new SqliteException(message, rc, extended);
        }

        /// <summary>The rowid of the connection's last successful INSERT.</summary>
        public long LastInsertRowId() => raw.sqlite3_last_insert_rowid(_db);

        /// <summary>How many rows the connection's last completed INSERT, UPDATE or DELETE changed.</summary>
        public int Changes() => raw.sqlite3_changes(_db);

        public long Int64(int column) => raw.sqlite3_column_int64(Statement, column);

        public string? Text(int column) =>
            raw.sqlite3_column_type(Statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(Statement, column).utf8_to_string();

        /// <summary>Ends a use: releases read locks and clears the bindings (call in a finally).</summary>
        public void Reset()
        {
            raw.sqlite3_reset(Statement);
            raw.sqlite3_clear_bindings(Statement);
        }

        public void Dispose()
        {
            var s = _statement;
            _statement = null;
            s?.Dispose();
        }
    }
}
