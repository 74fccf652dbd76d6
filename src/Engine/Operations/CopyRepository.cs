using System;
using System.Collections.Generic;
using System.Diagnostics;
using CimLite.Mof;
using CimLite.Storage;

namespace CimLite
{
    /// <summary>What <see cref="CimLiteRepository.Copy"/> copied.</summary>
    public sealed class CimLiteCopyResult
    {
        internal CimLiteCopyResult(string source, string destination)
        {
            Source = source;
            Destination = destination;
        }

        /// <summary>The source repository (a file's full path, or <c>:memory:</c>).</summary>
        public string Source { get; }

        /// <summary>The destination repository.</summary>
        public string Destination { get; }

        /// <summary>The namespaces copied (created at the destination unless it had them).</summary>
        public long Namespaces { get; internal set; }

        /// <summary>The qualifier declarations copied (those the destination declared identically are counted, not written again).</summary>
        public long QualifierDeclarations { get; internal set; }

        /// <summary>The classes copied.</summary>
        public long Classes { get; internal set; }

        /// <summary>The stored instances copied.</summary>
        public long Instances { get; internal set; }

        /// <summary>The indications of the posted queue copied (queued ones, leased or not; the leases are not copied).</summary>
        public long PostedIndications { get; internal set; }

        /// <summary>How long the copy took.</summary>
        public TimeSpan Duration { get; internal set; }
    }

    public sealed partial class CimLiteSession
    {
        /// <summary>How many posted indications one read of the source's queue takes.</summary>
        private const int CopyPostedPage = 1000;

        /// <summary>
        /// Copies everything this repository stores (namespaces, qualifier declarations, classes, instances, the posted
        /// queue) into <paramref name="destination"/>: read as one snapshot of this repository, written in one write
        /// transaction of the destination. Classes the destination already has refuse the copy (nothing is written).
        /// </summary>
        internal CimLiteCopyResult CopyInto(CimLiteSession destination, Action<long, long>? progress)
        {
            var watch = Stopwatch.StartNew();
            var source = Repository;
            var target = destination.Repository;
            if (ReferenceEquals(source, target)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.CareSameFile(destination.Path));
            if (destination.IsReadOnly) throw new CimLiteException(CimStatus.AccessDenied, Messages.ReadOnlySession(destination.Path));

            using (source.BeginReadSnapshot())
            {
                _classes.Invalidate();
                try
                {
                    // What the snapshot holds, in the order it is written: per namespace, its qualifier declarations and
                    // its classes (superclasses first), then the instances of every class, then the posted queue.
                    var namespaces = new List<(string Name, List<string> Declarations, List<StoredClass> Classes)>();
                    long total = 0;
                    foreach (var ns in source.Classes.Namespaces())
                    {
                        var rows = source.Classes.Classes(ns.Key);
                        namespaces.Add((ns.Value, source.Classes.QualifierDeclarations(ns.Key), SuperclassesFirst(rows)));
                        foreach (var row in rows) total += 1 + source.Instances.CountByClass(row.Id);
                    }
                    long done = 0;
                    var result = new CimLiteCopyResult(Path, destination.Path);
                    destination.RetryBusy(() =>
                    {
                        done = 0;
                        result.Namespaces = result.QualifierDeclarations = result.Classes = result.Instances = result.PostedIndications = 0;
                        using (var tx = destination.BeginSchemaWrite())
                        {
                            destination.CopySchema(namespaces, result, ref done, total, progress);
                            foreach (var (name, _, rows) in namespaces)
                            {
                                foreach (var row in rows)
                                {
                                    var sourceClass = _classes.ClassByIdCached(name, row.Id);
                                    var destinationClass = destination._classes.RequireClass(name, row.Name);
                                    using (var stored = source.Instances.ScanClass(row.Id))
                                        while (stored.Read())
                                        {
                                            destination.CopyInstance(destinationClass, ValueCodec.DecodeValues(sourceClass, stored.Data), stored.Qualifiers);
                                            result.Instances++;
                                            Report(progress, ++done, total);
                                        }
                                }
                            }
                            foreach (var (name, _, _) in namespaces)
                            {
                                long after = 0;
                                while (true)
                                {
                                    var page = source.Posted.Take(name, after, CopyPostedPage, null, includeLeased: true);
                                    foreach (var posted in page)
                                    {
                                        target.Posted.Insert(name, posted.ClassName, posted.Data, posted.Qualifiers, posted.PostedAt);
                                        result.PostedIndications++;
                                        after = posted.Id;
                                    }
                                    if (page.Count < CopyPostedPage) break;
                                }
                            }
                            tx.Commit();
                        }
                        return true;
                    });
                    result.Duration = watch.Elapsed;
                    return result;
                }
                finally
                {
                    _classes.Invalidate();
                    destination._classes.Invalidate();
                }
            }
        }

        private static void Report(Action<long, long>? progress, long done, long total)
        {
            if (progress != null && (done % 1000 == 0 || done == total)) progress(done, total);
        }

        /// <summary>The class rows of one namespace ordered so that every superclass comes before its subclasses.</summary>
        private static List<StoredClass> SuperclassesFirst(List<StoredClass> rows)
        {
            var byId = new Dictionary<long, StoredClass>();
            foreach (var row in rows) byId[row.Id] = row;
            var ordered = new List<StoredClass>(rows.Count);
            var placed = new HashSet<long>();
            void Place(StoredClass row, int depth)
            {
                if (placed.Contains(row.Id)) return;
                if (depth > rows.Count) throw new CimLiteException(CimStatus.Failed, Messages.CopySourceDamaged(row.Name));
                if (row.SuperclassId.HasValue)
                {
                    if (!byId.TryGetValue(row.SuperclassId.Value, out var superclass))
                        throw new CimLiteException(CimStatus.Failed, Messages.CopySourceDamaged(row.Name));
                    Place(superclass, depth + 1);
                }
                placed.Add(row.Id);
                ordered.Add(row);
            }
            foreach (var row in rows) Place(row, 0);
            return ordered;
        }

        /// <summary>
        /// Writes the namespaces, qualifier declarations and class rows of a copy into this (destination) session's open
        /// write transaction, refusing a class or a differently declared qualifier that is already here.
        /// </summary>
        private void CopySchema(List<(string Name, List<string> Declarations, List<StoredClass> Classes)> namespaces, CimLiteCopyResult result,
            ref long done, long total, Action<long, long>? progress)
        {
            foreach (var (name, declarations, rows) in namespaces)
            {
                bool isNew = _classes.FindNamespace(name) == null;
                long nsId = _classes.EnsureNamespace(name);
                if (isNew) _classes.Invalidate();
                result.Namespaces++;
                var present = StoredQualifierDeclarations(nsId);
                foreach (var encoded in declarations)
                {
                    var declaration = MofCompiler.Decode(encoded);
                    if (present.TryGetValue(declaration.Name, out var mine))
                    {
                        if (MofCompiler.Encode(mine) != MofCompiler.Encode(declaration))
                            throw new CimLiteException(CimStatus.AlreadyExists, Messages.CopyQualifierDiffers(name, declaration.Name, Path));
                    }
                    else Repository.Classes.InsertQualifierDeclaration(nsId, declaration.Name, encoded);
                    result.QualifierDeclarations++;
                }
                var ids = new Dictionary<long, long>();
                foreach (var row in rows)
                {
                    if (_classes.FindClass(name, row.Name) != null)
                        throw new CimLiteException(CimStatus.AlreadyExists, Messages.CopyClassExists(name, row.Name, Path), row.Name);
                    long? superclass = row.SuperclassId.HasValue ? ids[row.SuperclassId.Value] : (long?)null;
                    ids[row.Id] = Repository.Classes.InsertClass(nsId, row.Name, superclass, row.Definition, row.Amended);
                    result.Classes++;
                    Report(progress, ++done, total);
                }
                _classes.BumpGeneration();
            }
        }

        /// <summary>Stores one copied instance (values already checked where they came from) in this session's open write transaction.</summary>
        private void CopyInstance(CimLiteClass cimClass, object?[] values, string? qualifiers)
        {
            var key = KeyText(cimClass, values);
            var references = cimClass.HasScalarReferences ? IndexEntries(cimClass, values) : null;
            if (!Repository.Instances.TryInsert(cimClass.Id, KeyRootId(cimClass), key, ValueCodec.EncodeValues(cimClass, values), qualifiers, references))
                throw new CimLiteException(CimStatus.AlreadyExists, Messages.InstanceAlreadyExists(cimClass.ClassName + "." + key), cimClass.ClassName);
        }
    }
}
