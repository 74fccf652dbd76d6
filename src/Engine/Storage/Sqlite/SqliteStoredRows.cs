using System;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// Instance rows of a running SELECT (data, qualifiers): owns its command and reader. A SQLite error while
    /// reading comes out as the CimLiteException of <see cref="SqliteRepository.Translate"/> (a try/catch per row, no delegate).
    /// </summary>
    internal sealed class SqliteStoredRows : IStoredRows
    {
        private readonly SqliteRepository _repository;
        private readonly SqliteCommand _command;
        private readonly SqliteDataReader _reader;

        private SqliteStoredRows(SqliteRepository repository, SqliteCommand command, SqliteDataReader reader)
        {
            _repository = repository;
            _command = command;
            _reader = reader;
        }

        /// <summary>
        /// Starts a SELECT of data and qualifiers on a command of its own (from <see cref="SqliteRepository.NewCommand"/>:
        /// the reader stays open while the caller runs other statements); <paramref name="bind"/> sets its parameters.
        /// The rows own the command; it is disposed here if it cannot start.
        /// </summary>
        public static SqliteStoredRows Start(SqliteRepository repository, SqliteCommand command, Action<SqliteCommand> bind)
        {
            try
            {
                bind(command);
                return new SqliteStoredRows(repository, command, command.ExecuteReader());
            }
            catch (SqliteException e)
            {
                command.Dispose();
                throw repository.Translate(e);
            }
            catch
            {
                command.Dispose();
                throw;
            }
        }

        public bool Read()
        {
            try
            {
                return _reader.Read();
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }

        public string Data => _reader.GetString(0);

        public string? Qualifiers => _reader.IsDBNull(1) ? null : _reader.GetString(1);

        public void Dispose()
        {
            try
            {
                _reader.Dispose();
                _command.Dispose();
            }
            catch (SqliteException e)
            {
                throw _repository.Translate(e);
            }
        }
    }
}
