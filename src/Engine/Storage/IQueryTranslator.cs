using System.Collections.Generic;
using CimLite.Query;

namespace CimLite.Storage
{
    /// <summary>
    /// Pushes what it can of a bound WHERE clause down to the store and reads the instances of one class that
    /// satisfy it; the rest (<see cref="QueryTranslation.Residual"/>) is evaluated in memory by the engine.
    /// </summary>
    internal interface IQueryTranslator
    {
        /// <summary>Splits a predicate into the store's condition and the in-memory residual.</summary>
        QueryTranslation Translate(Bound predicate);

        /// <summary>The statement a read runs, placeholders only (for ExplainQuery).</summary>
        string Describe(StoredQuery query);

        /// <summary>The store's plan lines of a read (for ExplainQuery).</summary>
        List<string> Plan(StoredQuery query);

        /// <summary>Reads the matching instances of the class, in storage order, as the caller advances.</summary>
        IStoredRows Run(StoredQuery query);
    }

    /// <summary>What the store decides of a predicate (opaque to the engine) and what memory still has to check.</summary>
    internal sealed class QueryTranslation
    {
        /// <summary>The store's condition, or null when nothing translates (SQL over <c>instances.data</c> for SQLite).</summary>
        public string? Condition { get; set; }

        /// <summary>The values the condition binds.</summary>
        public List<KeyValuePair<string, object>> Parameters { get; } = new List<KeyValuePair<string, object>>();

        /// <summary>What memory still has to check, or null.</summary>
        public Bound? Residual { get; set; }
    }

    /// <summary>One class's read of a query: the class, an exact key when the predicate fixes it, and the translated condition.</summary>
    internal struct StoredQuery
    {
        public long ClassId;
        /// <summary>The key text when every key is fixed by equality (then <see cref="KeyRootId"/> is set), else null.</summary>
        public string? Key;
        public long KeyRootId;
        public QueryTranslation Translation;
    }
}
