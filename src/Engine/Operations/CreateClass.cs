using System;

namespace CimLite
{
    public sealed partial class CimLiteSession
    {
        /// <summary>Creates a class. The namespace is created when it does not exist yet.</summary>
        /// <exception cref="CimLiteException">ALREADY_EXISTS, INVALID_SUPERCLASS, INVALID_PARAMETER (names, keys, qualifier overrides), TYPE_MISMATCH (defaults, overrides), ACCESS_DENIED (read-only).</exception>
        public CimLiteClass CreateClass(CimClassDefinition definition, string? @namespace = null)
        {
            if (definition == null) throw new ArgumentNullException(nameof(definition));
            var ns = ResolveNamespace(@namespace);
            // Rerun as a whole when the storage reports "busy" (a PostgreSQL serialization failure against another client's
            // schema change); it calls no provider.
            return RetryBusy(() => CreateClassAttempt(definition, ns));
        }

        private CimLiteClass CreateClassAttempt(CimClassDefinition definition, string ns)
        {
            using (var tx = BeginSchemaWrite())
            {
                try
                {
                    if (_classes.FindClass(ns, definition.ClassName ?? "") != null)
                        throw new CimLiteException(CimStatus.AlreadyExists, Messages.ClassAlreadyExists(ns, definition.ClassName!), definition.ClassName);
                    CimLiteClass? superclass = null;
                    if (definition.Superclass != null)
                    {
                        superclass = _classes.FindClass(ns, definition.Superclass)
                            ?? throw new CimLiteException(CimStatus.InvalidSuperclass, Messages.SuperclassNotFound(ns, definition.ClassName ?? "", definition.Superclass), definition.ClassName);
                        definition.Superclass = superclass.ClassName;
                    }
                    // Validate fully before writing anything.
                    ClassBuilder.Build(0, ns, definition, superclass, validate: true);
                    var nsId = _classes.EnsureNamespace(ns);
                    Repository.Classes.InsertClass(nsId, definition.ClassName!, superclass?.Id, Storage.ValueCodec.EncodeDefinition(definition, amended: false),
                        Storage.ValueCodec.HasAmended(definition) ? Storage.ValueCodec.EncodeDefinition(definition, amended: true) : null);
                    _classes.BumpGeneration();
                    tx.Commit();
                }
                finally
                {
                    _classes.Invalidate();
                }
            }
            return _classes.RequireClass(ns, definition.ClassName!);
        }
    }
}
