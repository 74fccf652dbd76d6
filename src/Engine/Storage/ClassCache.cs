using System;
using System.Collections.Generic;
using System.Globalization;

namespace CimLite.Storage
{
    /// <summary>
    /// Namespaces and classes of a repository, cached in memory. The cache is dropped whenever the
    /// stored schema generation changes (another session or process changed a class) or a class write
    /// of this session ends, committed or not.
    /// </summary>
    internal sealed class ClassCache
    {
        private readonly IRepository _repository;
        private long _generation = -1;
        private readonly Dictionary<string, NamespaceSchema> _namespaces = new Dictionary<string, NamespaceSchema>(CimName.Comparer);

        public ClassCache(IRepository repository) { _repository = repository; }

        internal sealed class NamespaceSchema
        {
            public NamespaceSchema(long id, string name) { Id = id; Name = name; }
            public long Id { get; }
            public string Name { get; }
            public Dictionary<string, CimLiteClass>? Classes { get; set; }
            public Dictionary<long, CimLiteClass>? ById { get; set; }
        }

        public void Invalidate() => _generation = -1;

        // The write transaction in which the generation was last read: no other connection can change the
        // schema while this one holds the write lock, so one read per transaction is enough.
        private long _checkedInTransaction = -1;

        private void Refresh()
        {
            if (_generation != -1 && _repository.InTransaction && _repository.TransactionSerial == _checkedInTransaction) return;
            _checkedInTransaction = _repository.InTransaction ? _repository.TransactionSerial : -1;
            long generation = _repository.Classes.SchemaGeneration();
            if (generation == _generation) return;
            _namespaces.Clear();
            foreach (var ns in _repository.Classes.Namespaces())
                _namespaces[ns.Value] = new NamespaceSchema(ns.Key, ns.Value);
            _generation = generation;
        }

        public IReadOnlyList<string> NamespaceNames()
        {
            Refresh();
            var names = new List<string>();
            foreach (var ns in _namespaces.Values) names.Add(ns.Name);
            names.Sort(StringComparer.OrdinalIgnoreCase);
            return names;
        }

        public NamespaceSchema? FindNamespace(string ns)
        {
            Refresh();
            return _namespaces.TryGetValue(ns, out var entry) ? entry : null;
        }

        public NamespaceSchema RequireNamespace(string ns) =>
            FindNamespace(ns) ?? throw new CimLiteException(CimStatus.InvalidNamespace, Messages.NamespaceNotFound(ns));

        public Dictionary<string, CimLiteClass> Classes(NamespaceSchema ns)
        {
            if (ns.Classes != null) return ns.Classes;
            var rows = new Dictionary<long, StoredClass>();
            foreach (var row in _repository.Classes.Classes(ns.Id)) rows[row.Id] = row;
            var byId = new Dictionary<long, CimLiteClass>();
            CimLiteClass Load(long id)
            {
                if (byId.TryGetValue(id, out var done)) return done;
                var row = rows[id];
                var superclass = row.SuperclassId.HasValue ? Load(row.SuperclassId.Value) : null;
                var definition = ValueCodec.DecodeDefinition(row.Name, row.Definition, row.Amended);
                var built = ClassBuilder.Build(id, ns.Name, definition, superclass, validate: false);
                byId[id] = built;
                return built;
            }
            var classes = new Dictionary<string, CimLiteClass>(CimName.Comparer);
            foreach (var id in rows.Keys)
            {
                var c = Load(id);
                classes[c.ClassName] = c;
            }
            ns.Classes = classes;
            ns.ById = byId;
            return classes;
        }

        public CimLiteClass? FindClass(string ns, string className)
        {
            var entry = FindNamespace(ns);
            if (entry == null) return null;
            return Classes(entry).TryGetValue(className, out var c) ? c : null;
        }

        public CimLiteClass RequireClass(string ns, string className)
        {
            var entry = RequireNamespace(ns);
            if (className == null || !Classes(entry).TryGetValue(className, out var c))
                throw new CimLiteException(CimStatus.InvalidClass, Messages.ClassNotFound(entry.Name, className ?? ""), className);
            return c;
        }

        /// <summary>
        /// The class of a stored row, without re-reading the schema generation: for an operation that already
        /// resolved a class of this namespace (which refreshed the cache). Falls back to <see cref="ClassById"/>
        /// when the cache does not know the id (a class created since by another process).
        /// </summary>
        public CimLiteClass ClassByIdCached(string ns, long id) =>
            _namespaces.TryGetValue(ns, out var entry) && entry.ById != null && entry.ById.TryGetValue(id, out var c) ? c : ClassById(ns, id);

        /// <summary>
        /// The id of the class declaring the keys of <paramref name="cimClass"/> (the key root). When the class object
        /// comes from the current cache, the answer comes from the same cache without re-reading the schema generation.
        /// </summary>
        public long KeyRootId(CimLiteClass cimClass)
        {
            if (_namespaces.TryGetValue(cimClass.Namespace, out var entry) && entry.ById != null && entry.Classes != null
                && entry.ById.TryGetValue(cimClass.Id, out var same) && ReferenceEquals(same, cimClass)
                && entry.Classes.TryGetValue(cimClass.KeyRootClass, out var root))
                return root.Id;
            return RequireClass(cimClass.Namespace, cimClass.KeyRootClass).Id;
        }

        public CimLiteClass ClassById(string ns, long id)
        {
            var entry = RequireNamespace(ns);
            Classes(entry);
            return entry.ById![id];
        }

        /// <summary>The class and all classes derived from it (or only direct children with <paramref name="deep"/> false, class excluded).</summary>
        public List<CimLiteClass> Subclasses(CimLiteClass cimClass, bool deep)
        {
            var result = new List<CimLiteClass>();
            var entry = RequireNamespace(cimClass.Namespace);
            foreach (var c in Classes(entry).Values)
            {
                if (ReferenceEquals(c, cimClass)) continue;
                if (deep ? c.IsA(cimClass.ClassName) : CimName.Comparer.Equals(c.Superclass, cimClass.ClassName))
                    result.Add(c);
            }
            return result;
        }

        public long EnsureNamespace(string ns)
        {
            var existing = FindNamespace(ns);
            if (existing != null) return existing.Id;
            return _repository.Classes.InsertNamespace(ns);
        }

        public void BumpGeneration()
        {
            _repository.Classes.BumpSchemaGeneration();
            Invalidate();
        }
    }
}
