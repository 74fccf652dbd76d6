using System.Collections.Generic;

namespace CimLite.Storage
{
    /// <summary>
    /// The schema of a repository as stored: namespaces, class definitions (encoded) and qualifier declarations,
    /// plus the schema generation that tells other sessions their cached classes are stale. <see cref="ClassCache"/>
    /// builds classes from it.
    /// </summary>
    internal interface IClassStore
    {
        /// <summary>The stored schema generation (bumped by every schema write).</summary>
        long SchemaGeneration();

        /// <summary>Adds one to the schema generation.</summary>
        void BumpSchemaGeneration();

        /// <summary>Every namespace: id and name.</summary>
        List<KeyValuePair<long, string>> Namespaces();

        /// <summary>Creates a namespace and returns its id.</summary>
        long InsertNamespace(string name);

        /// <summary>The class rows of a namespace.</summary>
        List<StoredClass> Classes(long namespaceId);

        /// <summary>Stores a new class and returns its id.</summary>
        long InsertClass(long namespaceId, string name, long? superclassId, string definition, string? amended);

        /// <summary>Replaces a stored class's superclass and definition.</summary>
        void UpdateClass(long id, long? superclassId, string definition, string? amended);

        /// <summary>Deletes a class row (its instances and queued indications are deleted by their stores).</summary>
        void DeleteClass(long id);

        /// <summary>The encoded qualifier declarations of a namespace.</summary>
        List<string> QualifierDeclarations(long namespaceId);

        /// <summary>Stores a new qualifier declaration.</summary>
        void InsertQualifierDeclaration(long namespaceId, string name, string definition);

        /// <summary>Replaces a stored qualifier declaration (and the spelling of its name).</summary>
        void UpdateQualifierDeclaration(long namespaceId, string name, string definition);
    }

    /// <summary>One stored class row.</summary>
    internal sealed class StoredClass
    {
        public long Id;
        public string Name = "";
        public long? SuperclassId;
        public string Definition = "";
        public string? Amended;
    }
}
