using System.Collections.Generic;

namespace CimLite.Storage.Postgres
{
    /// <summary>
    /// Instance rows of a class read in pages by id (keyset: <c>id &gt; $1 ORDER BY id LIMIT $2</c>, the statement's
    /// own values from <c>$3</c> on), so that no reader stays open on the connection between two rows: the caller may
    /// run other statements (a put between two enumerated items) on the same connection, which Npgsql allows only
    /// between statements. Pages grow from 64 to 1,024 rows. Rows are read in id order; a row added or changed by
    /// another session during the enumeration is seen when its page is read (no snapshot across pages).
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

        public PostgresStoredRows(PostgresRepository repository, string sql, object?[] values)
        {
            _repository = repository;
            _sql = sql;
            _values = new object?[values.Length + 2];
            values.CopyTo(_values, 2);
            Fetch();
        }

        private void Fetch()
        {
            _values[0] = _after;
            _values[1] = _pageSize;
            _page = _repository.Rows(_sql, r => (r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), _values);
            _index = -1;
            if (_page.Count < _pageSize) _done = true;
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

        public void Dispose() => _page = new List<(long, string, string?)>();
    }
}
