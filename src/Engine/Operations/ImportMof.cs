using System;
using System.Collections.Generic;
using CimLite.Mof;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>Options of a MOF import.</summary>
    public sealed class MofImportOptions
    {
        /// <summary>The namespace declarations go to until a <c>#pragma namespace</c>; default: the session's.</summary>
        public string? Namespace { get; set; }

        /// <summary>Replace existing classes and qualifier declarations that differ (key changes still fail when instances exist).</summary>
        public bool Force { get; set; }

        /// <summary>Parse and check everything, write nothing (the transaction is rolled back).</summary>
        public bool WhatIf { get; set; }

        /// <summary>
        /// The largest MOF file read (the files named and every included one), in bytes; default 256 MiB. A larger
        /// file fails the import (FAILED, at the including pragma for an include).
        /// </summary>
        public long MaxFileSize { get; set; } = DefaultMaxFileSize;

        /// <summary>The default of <see cref="MaxFileSize"/>: 256 MiB.</summary>
        public const long DefaultMaxFileSize = MofParser.DefaultMaxFileSize;

        /// <summary>Called with the full path of each file (including included files) as its parsing starts.</summary>
        public Action<string>? FileStarted { get; set; }

        /// <summary>
        /// The encoding of files without a byte-order mark (default UTF-8). Bytes that are not valid in it are an
        /// error naming file(line,column); a byte-order mark always wins.
        /// </summary>
        public System.Text.Encoding? Encoding { get; set; }
    }

    /// <summary>What an import did.</summary>
    public sealed class MofImportResult
    {
        /// <summary>Files read, in order (includes expanded).</summary>
        public List<string> Files { get; } = new List<string>();
        /// <summary>Qualifier declarations created.</summary>
        public int QualifiersCreated { get; internal set; }
        /// <summary>Qualifier declarations changed (-Force).</summary>
        public int QualifiersUpdated { get; internal set; }
        /// <summary>Qualifier declarations already present and identical.</summary>
        public int QualifiersUnchanged { get; internal set; }
        /// <summary>Classes created.</summary>
        public int ClassesCreated { get; internal set; }
        /// <summary>Classes changed (-Force).</summary>
        public int ClassesUpdated { get; internal set; }
        /// <summary>Classes already present and identical.</summary>
        public int ClassesUnchanged { get; internal set; }
        /// <summary>Paths of the instances written.</summary>
        public List<string> Instances { get; } = new List<string>();
        /// <summary>Warnings (unknown pragmas, …) with their positions.</summary>
        public List<string> Warnings { get; } = new List<string>();
        /// <summary>False for a WhatIf import (nothing written).</summary>
        public bool Committed { get; internal set; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>
        /// Compiles MOF files (with what they include) and imports all their qualifier declarations, classes and
        /// instances as ONE transaction: any syntax or semantic error imports nothing and names file, line and column
        /// (<see cref="CimLiteException.SourceFile"/>, <see cref="CimLiteException.SourceLine"/>, <see cref="CimLiteException.SourceColumn"/>).
        /// Classes may come before or after their superclass. The schema cache is reloaded once, not per class.
        /// </summary>
        public MofImportResult ImportMof(IEnumerable<string> paths, MofImportOptions? options = null)
        {
            if (paths == null) throw new ArgumentNullException(nameof(paths));
            options = options ?? new MofImportOptions();
            var document = MofParser.ParseFiles(paths, ResolveNamespace(options.Namespace), options.FileStarted, maxFileSize: options.MaxFileSize, encoding: options.Encoding);
            return ImportDocument(document, options);
        }

        /// <summary>Imports MOF text (see <see cref="ImportMof(IEnumerable{string}, MofImportOptions)"/>); <paramref name="sourceName"/> names it in errors and anchors includes.</summary>
        public MofImportResult ImportMofText(string text, string sourceName = "(text)", MofImportOptions? options = null)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            options = options ?? new MofImportOptions();
            return ImportDocument(MofParser.ParseText(text, sourceName, ResolveNamespace(options.Namespace), maxFileSize: options.MaxFileSize), options);
        }

        private Dictionary<string, CimQualifierDeclaration> StoredQualifierDeclarations(long namespaceId)
        {
            var result = new Dictionary<string, CimQualifierDeclaration>(CimName.Comparer);
            foreach (var definition in Repository.Classes.QualifierDeclarations(namespaceId))
            {
                var d = MofCompiler.Decode(definition);
                result[d.Name] = d;
            }
            return result;
        }

        /// <summary>The qualifier declarations stored in a namespace (empty when it has none).</summary>
        public IReadOnlyList<CimQualifierDeclaration> GetQualifierDeclarations(string? @namespace = null)
        {
            var entry = _classes.FindNamespace(ResolveNamespace(@namespace));
            var list = new List<CimQualifierDeclaration>();
            if (entry == null) return list;
            list.AddRange(StoredQualifierDeclarations(entry.Id).Values);
            list.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
            return list;
        }

        private MofImportResult ImportDocument(MofDocument document, MofImportOptions options)
        {
            if (options.WhatIf) return ImportDocumentOnSnapshot(document, options);
            var namespaces = new List<string>();
            foreach (var item in document.Items)
                if (!namespaces.Exists(n => CimName.Comparer.Equals(n, item.Namespace))) namespaces.Add(item.Namespace);
            // Rerun as a whole when the storage reports "busy" (a PostgreSQL serialization failure against another
            // client's change), unless a provider ran for one of its instances (providers never run twice).
            return RetryBusy(() => ImportDocumentAttempt(document, options, namespaces));
        }

        private MofImportResult ImportDocumentAttempt(MofDocument document, MofImportOptions options, List<string> namespaces)
        {
            var result = new MofImportResult();
            result.Files.AddRange(document.Files);
            result.Warnings.AddRange(document.Warnings);
            using (var tx = BeginSchemaWrite())
            {
                try
                {
                    foreach (var ns in namespaces) ImportNamespace(document, ns, options, result);
                    if (!options.WhatIf)
                    {
                        tx.Commit();
                        result.Committed = true;
                    }
                }
                finally
                {
                    _classes.Invalidate();
                }
            }
            return result;
        }

        /// <summary>
        /// -WhatIf: the whole import runs, with every check, on a private in-memory snapshot of the repository with
        /// no providers registered, and is thrown away. The repository itself is only read (no write lock, no WAL
        /// growth, so a read-only session can check an import), and no provider is called.
        /// </summary>
        private MofImportResult ImportDocumentOnSnapshot(MofDocument document, MofImportOptions options)
        {
            var scratchOptions = new CimLiteSessionOptions { DefaultNamespace = DefaultNamespace, BusyTimeout = BusyTimeout };
            var snapshot = Repository.SnapshotInMemory();
            CimLiteSession scratch;
            if (snapshot != null) scratch = new CimLiteSession(snapshot, scratchOptions);
            else
            {
                // A backend without a copy of its own (PostgreSQL): copy what it stores, as Copy-CimLiteRepository does.
                scratch = OpenInMemory(scratchOptions);
                try
                {
                    CopyInto(scratch, null);
                }
                catch
                {
                    scratch.Dispose();
                    throw;
                }
            }
            using (scratch)
            {
                var result = scratch.ImportDocument(document, new MofImportOptions { Namespace = options.Namespace, Force = options.Force, Encoding = options.Encoding, MaxFileSize = options.MaxFileSize });
                result.Committed = false;
                return result;
            }
        }

        private void ImportNamespace(MofDocument document, string ns, MofImportOptions options, MofImportResult result)
        {
            bool isNew = _classes.FindNamespace(ns) == null;
            var nsId = _classes.EnsureNamespace(ns);
            if (isNew) _classes.Invalidate();
            var declarations = StoredQualifierDeclarations(nsId);

            // 1. Qualifier declarations.
            var declared = new HashSet<string>(CimName.Comparer);
            foreach (var item in document.Items)
            {
                if (!(item is MofQualifierDeclaration qd) || !CimName.Comparer.Equals(qd.Namespace, ns)) continue;
                if (!declared.Add(qd.Name)) throw MofErrors.Syntax(qd.Position, Messages.Mof.DuplicateQualifierDeclaration(qd.Name));
                var d = MofCompiler.Declaration(qd);
                var json = MofCompiler.Encode(d);
                if (declarations.TryGetValue(d.Name, out var existing))
                {
                    if (MofCompiler.Encode(existing) == json) { result.QualifiersUnchanged++; continue; }
                    if (!options.Force)
                        throw MofErrors.Semantic(qd.Position, CimStatus.AlreadyExists, Messages.Mof.QualifierDeclarationChanged(ns, d.Name));
                    Repository.Classes.UpdateQualifierDeclaration(nsId, d.Name, json);
                    result.QualifiersUpdated++;
                }
                else
                {
                    Repository.Classes.InsertQualifierDeclaration(nsId, d.Name, json);
                    result.QualifiersCreated++;
                }
                declarations[d.Name] = d;
            }
            var compiler = new MofCompiler(ns, declarations);

            // 2. Classes, superclasses first whatever the order in the files.
            var entry = _classes.RequireNamespace(ns);
            var existingClasses = _classes.Classes(entry);
            var mofClasses = new Dictionary<string, MofClass>(CimName.Comparer);
            var order = new List<MofClass>();
            foreach (var item in document.Items)
                if (item is MofClass c && CimName.Comparer.Equals(c.Namespace, ns))
                {
                    if (mofClasses.ContainsKey(c.Name)) throw MofErrors.Semantic(c.Position, CimStatus.AlreadyExists, Messages.Mof.DuplicateClass(c.Name), c.Name);
                    mofClasses[c.Name] = c;
                    order.Add(c);
                }
            bool ClassExists(string name) => mofClasses.ContainsKey(name) || existingClasses.ContainsKey(name);
            var built = new Dictionary<string, (CimLiteClass Class, long Id)>(CimName.Comparer);
            var visiting = new HashSet<string>(CimName.Comparer);
            bool anyWritten = false, anyForced = false;

            (CimLiteClass Class, long Id) Resolve(string name)
            {
                if (built.TryGetValue(name, out var done)) return done;
                if (!mofClasses.TryGetValue(name, out var mc))
                {
                    var stored = existingClasses[name];
                    return (stored, stored.Id);
                }
                if (!visiting.Add(name)) throw MofErrors.Semantic(mc.Position, CimStatus.InvalidSuperclass, Messages.Mof.SuperclassCycle(mc.Name), mc.Name);
                CimLiteClass? superclass = null;
                long? superId = null;
                if (mc.Superclass != null)
                {
                    if (!ClassExists(mc.Superclass))
                        throw MofErrors.Semantic(mc.SuperclassPosition ?? mc.Position, CimStatus.InvalidSuperclass, Messages.Mof.SuperclassNotFound(mc.Name, mc.Superclass), mc.Name);
                    var s = Resolve(mc.Superclass);
                    superclass = s.Class;
                    superId = s.Id;
                }
                var definition = compiler.Class(mc, ClassExists);
                definition.Superclass = superclass?.ClassName;
                CheckOverrides(mc, definition, superclass);
                CimLiteClass cimClass;
                try { cimClass = ClassBuilder.Build(0, ns, definition, superclass, validate: true); }
                catch (CimLiteException e) { throw MofErrors.At(FeaturePosition(mc, e.PropertyName), e); }
                long id = WriteClass(mc, definition, cimClass, superId, nsId, existingClasses, options, result, ref anyWritten, ref anyForced);
                var entryBuilt = (ClassBuilder.Build(id, ns, definition, superclass, validate: false), id);
                built[name] = entryBuilt;
                visiting.Remove(name);
                return entryBuilt;
            }

            foreach (var c in order) Resolve(c.Name);
            if (anyWritten) _classes.BumpGeneration();
            CheckNarrowedReferences(ns, order);
            // No change may leave stored instances or queued indications unreadable (or drop their values silently).
            if (anyForced) CheckStoredDataFits(ns, existingClasses, mofClasses);
            if (anyForced)
            {
                // A changed class must still fit every stored subclass that this import did not redeclare.
                foreach (var c in _classes.Classes(_classes.RequireNamespace(ns)).Values)
                {
                    if (c.SuperclassDefinition == null || mofClasses.ContainsKey(c.ClassName)) continue;
                    try { ClassBuilder.Build(c.Id, ns, c.Definition, c.SuperclassDefinition, validate: true); }
                    catch (CimLiteException e)
                    {
                        throw MofErrors.At(mofClasses.TryGetValue(c.Superclass!, out var parent) ? parent.Position : new MofPosition("", 0, 0), e);
                    }
                }
                // The stored rows take a property's new spelling (a respelling in case is the same property).
                RespellStoredRows(ns, existingClasses);
            }

            // 3. Instances, in file order, except that an instance whose values name an alias comes after the
            //    instance that defines it (an alias may be used before its definition).
            var instances = new List<MofInstance>();
            var byAlias = new Dictionary<string, MofInstance>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in document.Items)
            {
                if (!(item is MofInstance mi) || !CimName.Comparer.Equals(mi.Namespace, ns)) continue;
                instances.Add(mi);
                if (mi.Alias == null) continue;
                if (byAlias.ContainsKey(mi.Alias)) throw MofErrors.Syntax(mi.Position, Messages.Mof.DuplicateAlias(mi.Alias));
                byAlias[mi.Alias] = mi;
            }
            var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var done = new HashSet<MofInstance>();
            var inProgress = new HashSet<MofInstance>();
            void Put(MofInstance mi)
            {
                if (done.Contains(mi)) return;
                if (!inProgress.Add(mi)) throw MofErrors.Semantic(mi.Position, CimStatus.InvalidParameter, Messages.Mof.AliasCycle(mi.Alias ?? mi.ClassName));
                void Walk(MofInstance owner)
                {
                    foreach (var (_, value, qualifiers, at) in owner.Properties)
                    {
                        if (qualifiers.Count > 0) result.Warnings.Add(Messages.Mof.At(qualifiers[0].Position, Messages.Mof.PropertyQualifiersIgnored));
                        foreach (var v in value.Kind == MofValueKind.Array ? value.Items : new List<MofValue> { value })
                        {
                            if (v.Kind == MofValueKind.Alias && byAlias.TryGetValue((string)v.Value!, out var target)) Put(target);
                            else if (v.Kind == MofValueKind.Instance) Walk((MofInstance)v.Value!);
                        }
                    }
                }
                Walk(mi);
                var path = ImportInstance(mi, ns, compiler, aliases);
                if (mi.Alias != null) aliases[mi.Alias] = path;
                result.Instances.Add(path);
                inProgress.Remove(mi);
                done.Add(mi);
            }
            foreach (var mi in instances) Put(mi);
        }

        /// <summary>DSP0004: an overriding reference may only narrow its class to a subclass of the inherited one.</summary>
        private void CheckNarrowedReferences(string ns, List<MofClass> classes)
        {
            foreach (var mc in classes)
            {
                var superclass = _classes.FindClass(ns, mc.Name)?.SuperclassDefinition;
                if (superclass == null) continue;
                foreach (var f in mc.Features)
                {
                    if (f.Parameters != null || f.Type.Type != CimType.Reference || f.Type.ReferenceClass == null) continue;
                    var inherited = superclass.FindProperty(f.Name);
                    if (inherited?.ReferenceClass == null || CimName.Comparer.Equals(inherited.ReferenceClass, f.Type.ReferenceClass)) continue;
                    var target = _classes.FindClass(ns, f.Type.ReferenceClass);
                    if (target != null && !target.IsA(inherited.ReferenceClass))
                        throw MofErrors.Semantic(f.Position, CimStatus.TypeMismatch,
                            Messages.Mof.ReferenceNotNarrowed(mc.Name, f.Name, f.Type.ReferenceClass, inherited.ReferenceClass), mc.Name, f.Name);
                }
            }
        }

        private static MofPosition FeaturePosition(MofClass mc, string? name)
        {
            if (name != null)
                foreach (var f in mc.Features) if (CimName.Comparer.Equals(f.Name, name)) return f.Position;
            return mc.Position;
        }

        private static void CheckOverrides(MofClass mc, CimClassDefinition definition, CimLiteClass? superclass)
        {
            foreach (var f in mc.Features)
            {
                foreach (var q in f.Qualifiers)
                {
                    if (!CimName.Comparer.Equals(q.Name, "Override")) continue;
                    var target = q.Value?.Value as string ?? f.Name;
                    bool found = superclass != null && (f.Parameters == null ? superclass.FindProperty(target) != null : superclass.FindMethod(target) != null);
                    if (!found) throw MofErrors.Semantic(q.Position, CimStatus.InvalidParameter, Messages.Mof.OverrideNotFound(mc.Name, target), mc.Name, f.Name);
                }
            }
        }

        private long WriteClass(MofClass mc, CimClassDefinition definition, CimLiteClass cimClass, long? superId, long nsId,
            Dictionary<string, CimLiteClass> existingClasses, MofImportOptions options, MofImportResult result, ref bool anyWritten, ref bool anyForced)
        {
            var json = ValueCodec.EncodeDefinition(definition, amended: false);
            var amended = ValueCodec.HasAmended(definition) ? ValueCodec.EncodeDefinition(definition, amended: true) : null;
            if (existingClasses.TryGetValue(definition.ClassName, out var existing))
            {
                var oldJson = ValueCodec.EncodeDefinition(existing.Definition, amended: false);
                var oldAmended = ValueCodec.HasAmended(existing.Definition) ? ValueCodec.EncodeDefinition(existing.Definition, amended: true) : null;
                if (oldJson == json && oldAmended == amended && existing.Superclass == cimClass.Superclass)
                {
                    result.ClassesUnchanged++;
                    return existing.Id;
                }
                if (!options.Force)
                    throw MofErrors.Semantic(mc.Position, CimStatus.AlreadyExists, Messages.Mof.ClassChanged(existing.Namespace, existing.ClassName), existing.ClassName);
                if (!SameKeys(existing, cimClass) && HasInstances(existing.Id))
                    throw MofErrors.Semantic(mc.Position, CimStatus.ClassHasInstances, Messages.Mof.KeysChangeWithInstances(existing.ClassName), existing.ClassName);
                Repository.Classes.UpdateClass(existing.Id, superId, json, amended);
                result.ClassesUpdated++;
                anyWritten = anyForced = true;
                return existing.Id;
            }
            var id = Repository.Classes.InsertClass(nsId, definition.ClassName, superId, json, amended);
            result.ClassesCreated++;
            anyWritten = true;
            return id;
        }

        private static bool SameKeys(CimLiteClass a, CimLiteClass b)
        {
            if (a.KeyProperties.Count != b.KeyProperties.Count) return false;
            for (int i = 0; i < a.KeyProperties.Count; i++)
                if (!CimName.Comparer.Equals(a.KeyProperties[i].Name, b.KeyProperties[i].Name) || !a.KeyProperties[i].TypeInfo.Equals(b.KeyProperties[i].TypeInfo))
                    return false;
            return true;
        }

        private bool HasInstances(long classId) => Repository.Instances.AnyOfClassOrKeyRoot(classId);

        private string ImportInstance(MofInstance mi, string ns, MofCompiler compiler, Dictionary<string, string> aliases)
        {
            var cimClass = _classes.FindClass(ns, mi.ClassName)
                ?? throw MofErrors.Semantic(mi.Position, CimStatus.InvalidClass, Messages.ClassNotFound(ns, mi.ClassName), mi.ClassName);
            try
            {
                var instance = BuildInstance(mi, cimClass, ns, aliases);
                foreach (var q in compiler.Qualifiers(mi.Qualifiers, CimQualifierScope.None, Messages.Mof.InstanceOf(cimClass.ClassName)))
                    instance.SetQualifier(q);
                return PutInTransaction(instance, new PutOptions()).ToString();
            }
            catch (CimLiteException e) { throw MofErrors.At(mi.Position, e); }
        }

        /// <summary>An instance of <paramref name="cimClass"/> with the values of <paramref name="mi"/> (aliases and embedded instances resolved), not stored.</summary>
        private CimLiteInstance BuildInstance(MofInstance mi, CimLiteClass cimClass, string ns, Dictionary<string, string> aliases)
        {
            var instance = new CimLiteInstance(cimClass);
            var seen = new HashSet<string>(CimName.Comparer);
            foreach (var (name, value, qualifiers, at) in mi.Properties)
            {
                var p = cimClass.FindProperty(name)
                    ?? throw MofErrors.Semantic(at, CimStatus.NoSuchProperty, Messages.Mof.NoSuchProperty(cimClass.ClassName, name), cimClass.ClassName, name);
                if (!seen.Add(name)) throw MofErrors.Semantic(at, CimStatus.InvalidParameter, Messages.Mof.DuplicateProperty(cimClass.ClassName, name), cimClass.ClassName, name);
                try { instance[p.Name] = ResolveValue(value, p, cimClass.ClassName, ns, aliases); }
                catch (CimLiteException e) { throw MofErrors.At(value.Position, e); }
            }
            return instance;
        }

        /// <summary>
        /// An embedded <c>instance of X { ... }</c> value as the string CimLite stores: the canonical MOF text the writer
        /// produces for it, after checking it against class X like any instance (keys not required).
        /// </summary>
        private string EmbeddedText(MofInstance mi, CimPropertyDeclaration p, string className, string ns, Dictionary<string, string> aliases)
        {
            var what = Messages.Mof.PropertySubject(false, className, p.Name);
            var embeds = p.Find("EmbeddedInstance");
            bool embedded = p.CimType == CimType.String && (embeds != null || p.Find("EmbeddedObject")?.IsTrue == true);
            if (!embedded) throw MofErrors.Semantic(mi.Position, CimStatus.TypeMismatch, Messages.Mof.EmbeddedValueNotEmbedded(what), className, p.Name);
            var cimClass = _classes.FindClass(ns, mi.ClassName)
                ?? throw MofErrors.Semantic(mi.Position, CimStatus.InvalidClass, Messages.ClassNotFound(ns, mi.ClassName), mi.ClassName);
            if (embeds?.Value is string target && !cimClass.IsA(target))
                throw MofErrors.Semantic(mi.Position, CimStatus.TypeMismatch, Messages.Mof.EmbeddedClassMismatch(what, cimClass.ClassName, target), className, p.Name);
            var instance = BuildInstance(mi, cimClass, ns, aliases);
            return MofWriter.EmbeddedText(instance, ns);
        }

        private object? ResolveValue(MofValue value, CimPropertyDeclaration p, string className, string ns, Dictionary<string, string> aliases)
        {
            string Lookup(MofValue v)
            {
                if (p.CimType != CimType.Reference) throw MofErrors.Semantic(v.Position, CimStatus.TypeMismatch, Messages.Mof.AliasNotReference(p.Name), className, p.Name);
                return aliases.TryGetValue((string)v.Value!, out var path) ? path
                    : throw MofErrors.Semantic(v.Position, CimStatus.NotFound, Messages.Mof.UnknownAlias((string)v.Value!), className, p.Name);
            }
            object? result;
            if (value.Kind == MofValueKind.Alias) result = CimValueConverter.Convert(Lookup(value), p.TypeInfo, className, p.Name);
            else if (value.Kind == MofValueKind.Instance)
            {
                var text = EmbeddedText((MofInstance)value.Value!, p, className, ns, aliases);
                result = CimValueConverter.Convert(p.IsArray ? new object[] { text } : text, p.TypeInfo, className, p.Name);
            }
            else if (value.Kind == MofValueKind.Array && value.Items.Exists(i => i.Kind == MofValueKind.Alias || i.Kind == MofValueKind.Instance))
            {
                if (!p.IsArray) return MofCompiler.Value(value, p.TypeInfo, className, p.Name);
                var items = new List<object?>();
                foreach (var i in value.Items)
                    items.Add(i.Kind == MofValueKind.Alias ? Lookup(i)
                        : i.Kind == MofValueKind.Instance ? EmbeddedText((MofInstance)i.Value!, p, className, ns, aliases)
                        : MofCompiler.Value(i, new CimTypeInfo(p.CimType, false, p.ReferenceClass), className, p.Name));
                result = CimValueConverter.Convert(items.ToArray(), p.TypeInfo, className, p.Name);
            }
            else result = MofCompiler.Value(value, p.TypeInfo, className, p.Name);
            return p.CimType == CimType.Reference ? AnchorReferences(result, ns) : result;
        }

        /// <summary>A reference path written without a namespace points into the namespace being imported.</summary>
        private static object? AnchorReferences(object? value, string ns)
        {
            string Anchor(string path) => InstancePath.TryParse(path, out var parsed) && parsed!.Namespace == null ? parsed.WithNamespace(ns).ToString() : path;
            if (value is string s) return Anchor(s);
            if (value is string[] a)
            {
                var copy = new string[a.Length];
                for (int i = 0; i < a.Length; i++) copy[i] = a[i] == null ? a[i] : Anchor(a[i]);
                return copy;
            }
            return value;
        }
    }
}