using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// What to follow from a source instance (WMI's ASSOCIATORS OF / REFERENCES OF clauses, CimCmdlets'
    /// Get-CimAssociatedInstance parameters). Class filters are deep: subclasses count.
    /// </summary>
    public sealed class AssociationFilter
    {
        /// <summary>Only associations of this class or a subclass (ASSOCIATORS OF's AssocClass).</summary>
        public string? AssociationClass { get; set; }

        /// <summary>
        /// ASSOCIATORS OF: only results of this class or a subclass (ResultClass). REFERENCES OF: only associations
        /// of this class or a subclass (its ResultClass).
        /// </summary>
        public string? ResultClass { get; set; }

        /// <summary>Only associations that refer to the source through this property (Role).</summary>
        public string? Role { get; set; }

        /// <summary>ASSOCIATORS OF: only results the association refers to through this property (ResultRole).</summary>
        public string? ResultRole { get; set; }

        /// <summary>Only the key properties of each result are filled in (KeysOnly).</summary>
        public bool KeysOnly { get; set; }

        /// <summary>Only results whose class has this qualifier (RequiredQualifier; for REFERENCES OF: the association's class).</summary>
        public string? RequiredQualifier { get; set; }

        /// <summary>ASSOCIATORS OF: only through associations whose class has this qualifier (RequiredAssocQualifier).</summary>
        public string? RequiredAssociationQualifier { get; set; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// The instances at the other ends of every association instance that refers to <paramref name="source"/>
        /// (WMI's ASSOCIATORS OF, MI's AssociatorInstances): each result once, however many associations lead to
        /// it, each as its own class; dangling references are skipped. Stored associations are found through the
        /// reference index; associations served by providers are asked of them.
        /// </summary>
        /// <exception cref="CimLiteException">NOT_FOUND (no source instance), INVALID_CLASS (a filter or source class unknown), INVALID_NAMESPACE, INVALID_PARAMETER (the path's keys do not fit).</exception>
        public IReadOnlyList<CimLiteInstance> GetAssociatedInstances(InstancePath source, AssociationFilter? filter = null, OperationOptions? options = null)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            filter = filter ?? new AssociationFilter();
            return RetryBusy(() => AssociatorsAttempt(source, filter, options));
        }

        /// <summary>
        /// The association instances that refer to <paramref name="source"/> (WMI's REFERENCES OF, MI's
        /// ReferenceInstances), each once, as its own class.
        /// </summary>
        /// <exception cref="CimLiteException">NOT_FOUND (no source instance), INVALID_CLASS, INVALID_NAMESPACE, INVALID_PARAMETER.</exception>
        public IReadOnlyList<CimLiteInstance> GetReferencingInstances(InstancePath source, AssociationFilter? filter = null, OperationOptions? options = null)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            filter = filter ?? new AssociationFilter();
            return RetryBusy(() =>
            {
                var ns = ResolveNamespace(source.Namespace);
                if (filter.ResultClass != null) _classes.RequireClass(ns, filter.ResultClass);
                var result = new List<CimLiteInstance>();
                foreach (var link in FindLinks(source, ns, options, filter))
                {
                    var c = link.Association.Class;
                    if (filter.ResultClass != null && !c.IsA(filter.ResultClass)) continue;
                    if (filter.Role != null && !link.HasRole(filter.Role)) continue;
                    if (filter.RequiredQualifier != null && c.Find(filter.RequiredQualifier) == null) continue;
                    result.Add(filter.KeysOnly ? KeysOnlyCopy(link.Association) : link.Association);
                }
                return (IReadOnlyList<CimLiteInstance>)result;
            });
        }

        private IReadOnlyList<CimLiteInstance> AssociatorsAttempt(InstancePath source, AssociationFilter filter, OperationOptions? options)
        {
            var ns = ResolveNamespace(source.Namespace);
            if (filter.AssociationClass != null) _classes.RequireClass(ns, filter.AssociationClass);
            if (filter.ResultClass != null) _classes.RequireClass(ns, filter.ResultClass);
            if (ReferenceIndexUsable && Providers.IsEmpty) return StoredAssociators(source, ns, filter);
            var result = new List<CimLiteInstance>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var direct = new List<CimLiteInstance>();
            foreach (var link in FindLinks(source, ns, options, filter, direct))
            {
                var assoc = link.Association;
                var c = assoc.Class;
                if (filter.AssociationClass != null && !c.IsA(filter.AssociationClass)) continue;
                if (filter.RequiredAssociationQualifier != null && c.Find(filter.RequiredAssociationQualifier) == null) continue;
                foreach (var role in link.Roles)
                {
                    if (filter.Role != null && !CimName.Comparer.Equals(role, filter.Role)) continue;
                    for (int i = 0; i < c.Properties.Count; i++)
                    {
                        var p = c.Properties[i];
                        if (p.CimType != CimType.Reference || p.IsArray || CimName.Comparer.Equals(p.Name, role)) continue;
                        if (filter.ResultRole != null && !CimName.Comparer.Equals(p.Name, filter.ResultRole)) continue;
                        if (!(assoc.Values[i] is string text)) continue;
                        if (!TryResolveReference(c.Namespace, text, out var target, out var keyText)) continue;
                        if (!seen.Add(KeyRootId(target!).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + keyText)) continue;
                        var found = ReadReferenced(target!, keyText!, text, options);
                        if (found == null) continue; // dangling: skipped without error
                        if (filter.ResultClass != null && !found.Class.IsA(filter.ResultClass)) continue;
                        if (filter.RequiredQualifier != null && found.Class.Find(filter.RequiredQualifier) == null) continue;
                        result.Add(filter.KeysOnly ? KeysOnlyCopy(found) : found);
                    }
                }
            }
            // What association providers answered directly (AssociatorInstances): the same filters, each once.
            foreach (var found in direct)
            {
                if (!seen.Add(KeyRootId(found.Class).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + KeyText(found.Class, found.Values))) continue;
                if (filter.ResultClass != null && !found.Class.IsA(filter.ResultClass)) continue;
                if (filter.RequiredQualifier != null && found.Class.Find(filter.RequiredQualifier) == null) continue;
                result.Add(filter.KeysOnly ? KeysOnlyCopy(found) : found);
            }
            return result;
        }

        /// <summary>
        /// ASSOCIATORS OF when only stored instances take part (no provider registered, the reference index usable):
        /// the source's identity, then one statement joining the index to itself and to the instances at the other
        /// ends, so no association instance is decoded and no reference path parsed. The same rules as the general
        /// path: filters, each result once, dangling references skipped (they join nothing).
        /// </summary>
        private IReadOnlyList<CimLiteInstance> StoredAssociators(InstancePath source, string ns, AssociationFilter filter)
        {
            var sourceClass = _classes.RequireClass(ns, source.ClassName);
            var keys = InstanceKey.ValuesFromPath(sourceClass, source, ValueUnwrapper);
            var sourceKey = KeyText(sourceClass, keys);
            var sourceRoot = KeyRootId(sourceClass);
            var row = Repository.Instances.Find(sourceRoot, sourceKey);
            if (row == null || !_classes.ClassByIdCached(ns, row.ClassId).IsA(sourceClass.ClassName))
            {
                var shown = new CimLiteInstance(sourceClass, keys, null).GetPath().ToString();
                throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(shown), sourceClass.ClassName, instancePath: shown);
            }
            var result = new List<CimLiteInstance>();
            HashSet<long>? seen = null;
            long first = -1;
            foreach (var a in Repository.Instances.FindAssociates(sourceRoot, sourceKey))
            {
                if (a.Id == first || (seen != null && seen.Contains(a.Id))) continue;
                if (filter.Role != null && !CimName.Comparer.Equals(a.Role, filter.Role)) continue;
                if (filter.ResultRole != null && !CimName.Comparer.Equals(a.ResultRole, filter.ResultRole)) continue;
                if (filter.AssociationClass != null || filter.RequiredAssociationQualifier != null)
                {
                    var assocClass = _classes.ClassByIdCached(CimName.NormalizeNamespace(a.AssociationNamespace), a.AssociationClassId);
                    if (filter.AssociationClass != null && !assocClass.IsA(filter.AssociationClass)) continue;
                    if (filter.RequiredAssociationQualifier != null && assocClass.Find(filter.RequiredAssociationQualifier) == null) continue;
                }
                var actual = _classes.ClassByIdCached(CimName.NormalizeNamespace(a.Namespace), a.ClassId);
                if (filter.ResultClass != null && !actual.IsA(filter.ResultClass)) continue;
                if (filter.RequiredQualifier != null && actual.Find(filter.RequiredQualifier) == null) continue;
                if (first < 0) first = a.Id;
                else (seen ?? (seen = new HashSet<long> { first })).Add(a.Id);
                result.Add(Materialize(actual, a.Data, a.Qualifiers, filter.KeysOnly));
            }
            return result;
        }

        /// <summary>The instance a reference names (stored, or served by a provider), as its own class; null when there is none.</summary>
        private CimLiteInstance? ReadReferenced(CimLiteClass target, string keyText, string text, OperationOptions? options)
        {
            var row = Repository.Instances.Find(KeyRootId(target), keyText);
            if (row != null)
            {
                var actual = _classes.ClassByIdCached(target.Namespace, row.ClassId);
                return actual.IsA(target.ClassName) ? Materialize(actual, row.Data, row.Qualifiers) : null;
            }
            if (Providers.IsEmpty) return null;
            var path = InstancePath.Parse(text);
            return FindInstanceAttempt(path.WithNamespace(path.Namespace ?? target.Namespace), options);
        }

        private static CimLiteInstance KeysOnlyCopy(CimLiteInstance instance)
        {
            var copy = instance.Clone();
            for (int i = 0; i < copy.Values.Length; i++)
                if (!copy.Class.Properties[i].IsKey) copy.Values[i] = null;
            return copy;
        }

        /// <summary>An association instance that refers to the source, and the properties through which it does.</summary>
        private sealed class AssociationLink
        {
            public AssociationLink(CimLiteInstance association) { Association = association; }

            public CimLiteInstance Association { get; }

            public List<string> Roles { get; } = new List<string>(2);

            public bool HasRole(string role)
            {
                foreach (var r in Roles) if (CimName.Comparer.Equals(r, role)) return true;
                return false;
            }

            public void AddRole(string role)
            {
                if (!HasRole(role)) Roles.Add(role);
            }
        }

        /// <summary>
        /// Every association instance that refers to the source, once each: stored ones from the reference index
        /// (or by a scan of the classes with reference properties when the index is not usable: a read-only session
        /// of an older file), then those posted by the enumeration providers of classes with reference properties.
        /// </summary>
        /// <remarks>
        /// A class whose provider has the association capability is asked directly (ReferenceInstances, or with
        /// <paramref name="direct"/> given, AssociatorInstances, whose posts are results and go there); one that refuses
        /// with NOT_SUPPORTED is enumerated instead.
        /// </remarks>
        private List<AssociationLink> FindLinks(InstancePath source, string ns, OperationOptions? options, AssociationFilter? filter = null, List<CimLiteInstance>? direct = null)
        {
            var sourceClass = _classes.RequireClass(ns, source.ClassName);
            var keys = InstanceKey.ValuesFromPath(sourceClass, source, ValueUnwrapper);
            var sourceKey = KeyText(sourceClass, keys);
            var sourceRoot = KeyRootId(sourceClass);
            var full = source.WithNamespace(ns);
            var sourceInstance = FindInstanceAttempt(full, options);
            if (sourceInstance == null)
            {
                var shown = new CimLiteInstance(sourceClass, keys, null).GetPath().ToString();
                throw new CimLiteException(CimStatus.NotFound, Messages.InstanceNotFound(shown), sourceClass.ClassName, instancePath: shown);
            }

            var links = new List<AssociationLink>();
            var byIdentity = new Dictionary<string, AssociationLink>(StringComparer.Ordinal);
            AssociationLink Link(CimLiteInstance association)
            {
                var identity = KeyRootId(association.Class).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + KeyText(association.Class, association.Values);
                if (!byIdentity.TryGetValue(identity, out var link))
                {
                    link = new AssociationLink(association);
                    byIdentity[identity] = link;
                    links.Add(link);
                }
                return link;
            }
            void Check(CimLiteInstance candidate)
            {
                var c = candidate.Class;
                AssociationLink? link = null;
                for (int i = 0; i < c.Properties.Count; i++)
                {
                    var p = c.Properties[i];
                    if (p.CimType != CimType.Reference || p.IsArray || !(candidate.Values[i] is string text)) continue;
                    if (!TryResolveReference(c.Namespace, text, out var target, out var keyText)) continue;
                    if (keyText != sourceKey || KeyRootId(target!) != sourceRoot) continue;
                    (link ?? (link = Link(candidate))).AddRole(p.Name);
                }
            }

            bool indexed = ReferenceIndexUsable;
            if (indexed)
            {
                var byId = new Dictionary<long, AssociationLink>();
                foreach (var r in Repository.Instances.FindReferrers(sourceRoot, sourceKey))
                {
                    if (!byId.TryGetValue(r.Id, out var link))
                    {
                        var c = _classes.ClassByIdCached(CimName.NormalizeNamespace(r.Namespace), r.ClassId);
                        link = Link(Materialize(c, r.Data, r.Qualifiers));
                        byId[r.Id] = link;
                    }
                    link.AddRole(link.Association.Class.FindProperty(r.Property)?.Name ?? r.Property);
                }
            }
            if (indexed && Providers.IsEmpty) return links;
            foreach (var c in SortedByDepth(new List<CimLiteClass>(_classes.Classes(_classes.RequireNamespace(ns)).Values)))
            {
                if (!c.HasScalarReferences) continue;
                if (!indexed)
                    foreach (var candidate in StreamRows(c, false)) Check(candidate);
                var associations = Providers.FindAssociations(c.Namespace, c.ClassName);
                if (associations != null)
                {
                    var answers = new CollectingSink(options?.Sink);
                    AssociationRequest request = direct == null
                        ? new ReferenceInstancesRequest(c.Namespace, c.ClassName, sourceInstance.Clone(), filter?.ResultClass, filter?.Role)
                        : (AssociationRequest)new AssociatorInstancesRequest(c.Namespace, c.ClassName, sourceInstance.Clone(), filter?.AssociationClass, filter?.ResultClass, filter?.Role, filter?.ResultRole);
                    if (Dispatcher.Associations(associations, c, request, answers, options?.CancellationToken ?? default, posted => direct != null || posted.IsOfClass(c)))
                    {
                        if (direct != null) direct.AddRange(answers.Items);
                        else foreach (var candidate in answers.Items) Check(candidate);
                        continue;
                    }
                }
                if (Providers.FindInstances(c.Namespace, c.ClassName) == null) continue;
                var collected = new CollectingSink(options?.Sink);
                EnumerateProvider(c, false, false, collected, options?.CancellationToken ?? default);
                foreach (var candidate in collected.Items) Check(candidate);
            }
            return links;
        }
    }
}

namespace CimLite
{
    using CimLite.Query;

    /// <summary>The answer of an ASSOCIATORS OF or REFERENCES OF query: instances, or with ClassDefsOnly their classes.</summary>
    public sealed class AssociationQueryResult
    {
        internal AssociationQueryResult(bool references, bool classDefsOnly, IReadOnlyList<CimLiteInstance> instances, IReadOnlyList<CimLiteClass> classes)
        {
            IsReferences = references;
            ClassDefsOnly = classDefsOnly;
            Instances = instances;
            Classes = classes;
        }

        /// <summary>True for REFERENCES OF (the association instances), false for ASSOCIATORS OF (the other ends).</summary>
        public bool IsReferences { get; }

        /// <summary>True when the query asked for ClassDefsOnly: <see cref="Classes"/> is the answer.</summary>
        public bool ClassDefsOnly { get; }

        /// <summary>The instances (empty with ClassDefsOnly).</summary>
        public IReadOnlyList<CimLiteInstance> Instances { get; }

        /// <summary>With ClassDefsOnly, the distinct classes of the instances, in order of first appearance; else empty.</summary>
        public IReadOnlyList<CimLiteClass> Classes { get; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>True when <paramref name="wql"/> is an ASSOCIATORS OF or REFERENCES OF query.</summary>
        /// <remarks>
        /// <see cref="ExecAssociationQuery"/> runs <c>ASSOCIATORS OF {path} [WHERE AssocClass = A ResultClass = R Role = P ResultRole = Q KeysOnly
        /// ClassDefsOnly RequiredQualifier = Q RequiredAssocQualifier = Q]</c> or <c>REFERENCES OF {path} [WHERE
        /// ResultClass = A Role = P KeysOnly ClassDefsOnly RequiredQualifier = Q]</c>, WMI's grammar (clauses separated
        /// by spaces, no AND). A path without a namespace is in the given namespace (default: the session's).
        /// </remarks>
        /// <exception cref="CimLiteException">INVALID_QUERY (with the position), INVALID_CLASS, INVALID_NAMESPACE, NOT_FOUND (no source instance).</exception>
        public static bool IsAssociationQuery(string wql) => wql != null && WqlAssociationQuery.Applies(wql);

        /// <summary>(See <see cref="IsAssociationQuery"/>.)</summary>
        public AssociationQueryResult ExecAssociationQuery(string wql, string? @namespace = null, OperationOptions? options = null)
        {
            if (wql == null) throw new ArgumentNullException(nameof(wql));
            if (!WqlAssociationQuery.Applies(wql)) throw WqlLexer.Error(0, Messages.QueryExpectedAssociationClause("ASSOCIATORS OF, REFERENCES OF"));
            var q = WqlAssociationQuery.Parse(wql);
            var path = InstancePath.Parse(q.Path);
            if (path.Namespace == null) path = path.WithNamespace(ResolveNamespace(@namespace));
            var filter = new AssociationFilter
            {
                AssociationClass = q.AssocClass,
                ResultClass = q.ResultClass,
                Role = q.Role,
                ResultRole = q.ResultRole,
                KeysOnly = q.KeysOnly,
                RequiredQualifier = q.RequiredQualifier,
                RequiredAssociationQualifier = q.RequiredAssocQualifier,
            };
            var instances = q.IsReferences ? GetReferencingInstances(path, filter, options) : GetAssociatedInstances(path, filter, options);
            var classes = new List<CimLiteClass>();
            if (q.ClassDefsOnly)
            {
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var i in instances) if (seen.Add(i.Namespace + ":" + i.ClassName)) classes.Add(i.Class);
                instances = Array.Empty<CimLiteInstance>();
            }
            return new AssociationQueryResult(q.IsReferences, q.ClassDefsOnly, instances, classes);
        }
    }
}
