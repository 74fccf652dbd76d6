using System.Collections.Generic;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// Instance rows of a class read in pages by id (keyset: <c>id &gt; $1 ORDER BY id LIMIT $2</c>, the statement's
    /// own values from <c>$3</c> on), so that no reader stays open on the connection between two rows: the caller may
    /// run other statements (a put between two enumerated items) on the same connection, which Npgsql allows only
    /// between statements. Pages grow from 64 to 1,024 rows. Rows are read in id order. Every page belongs to one
    /// snapshot: outside a transaction the pages are read on the session's reader connection in a REPEATABLE READ, READ
    /// ONLY transaction held until the last row is read or the rows are disposed (<see cref="PostgresRepository.BeginPagedRead"/>),
    /// so rows other clients (or this session) commit or delete between two pages are not seen; inside a transaction of
    /// the session, in that transaction.
    /// </summary>
    internal sealed class PostgresStoredRows : IStoredRows
    {
        private readonly PostgresRepository _repository;
        private readonly string _sql;
        private readonly object?[] _values;
        private List<(long Id, string Data, string? Qualifiers)> _page = new List<(long, string, string?)>();
        private int _index = -1;
        private int _pageSize = 64;
        private long _after;
        private bool _done;
        private bool _onReader;

        public PostgresStoredRows(PostgresRepository repository, string sql, object?[] values)
        {
            _repository = repository;
            _sql = sql;
            _values = new object?[values.Length + 2];
            values.CopyTo(_values, 2);
            _onReader = repository.BeginPagedRead();
            try
            {
                Fetch();
            }
            catch
            {
                Release();
                throw;
            }
        }

        private static (long, string, string?) Row(Npgsql.NpgsqlDataReader r) => (r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));

        private void Fetch()
        {
            _values[0] = _after;
            _values[1] = _pageSize;
            _page = _onReader ? _repository.ReaderRows(_sql, Row, _values) : _repository.Rows(_sql, Row, _values);
            _index = -1;
            if (_page.Count < _pageSize)
            {
                _done = true;
                Release();
            }
            if (_page.Count > 0) _after = _page[_page.Count - 1].Id;
            if (_pageSize < 1024) _pageSize *= 4;
        }

        public bool Read()
        {
            if (_index + 1 < _page.Count)
            {
                _index++;
                return true;
            }
            if (_done) return false;
            Fetch();
            if (_page.Count == 0) return false;
            _index = 0;
            return true;
        }

        public string Data => _page[_index].Data;

        public string? Qualifiers => _page[_index].Qualifiers;

        /// <summary>Ends this read's hold on the reader's snapshot (once: at the last page or when disposed).</summary>
        private void Release()
        {
            if (!_onReader) return;
            _onReader = false;
            _repository.EndPagedRead();
        }

        public void Dispose()
        {
            _page = new List<(long, string, string?)>();
            _done = true;
            Release();
        }
    }
}
