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
        private bool _scan;

        private SqliteStoredRows(SqliteRepository repository, SqliteCommand command, SqliteDataReader reader, bool scan)
        {
            _repository = repository;
            _command = command;
            _reader = reader;
            _scan = scan;
        }

        /// <summary>
        /// Starts a SELECT of data and qualifiers on a command of its own (from <see cref="SqliteRepository.NewCommand"/>:
        /// the reader stays open while the caller runs other statements); <paramref name="bind"/> sets its parameters.
        /// The rows own the command; it is disposed here if it cannot start. A <paramref name="scan"/> (many rows: a
        /// class, a query that is not a key lookup) reads without the memory map until disposed (<see cref="SqliteRepository.BeginScan"/>).
        /// </summary>
        public static SqliteStoredRows Start(SqliteRepository repository, SqliteCommand command, Action<SqliteCommand> bind, bool scan)
        {
            if (scan) repository.BeginScan();
            try
            {
                bind(command);
                return new SqliteStoredRows(repository, command, command.ExecuteReader(), scan);
            }
            catch (SqliteException e)
            {
                command.Dispose();
                if (scan) repository.EndScan();
                throw repository.Translate(e);
            }
            catch
            {
                command.Dispose();
                if (scan) repository.EndScan();
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
            finally
            {
                if (_scan)
                {
                    _scan = false;
                    _repository.EndScan();
                }
            }
        }
    }
}
