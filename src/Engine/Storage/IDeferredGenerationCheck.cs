using System;

namespace CimLite.Storage
{
    /// <summary>
    /// A backend whose schema-generation read costs a round trip of its own (PostgreSQL) and can instead check the
    /// generation in the statement of the key read that follows (<see cref="IInstanceStore.Find"/>). Inside the scope
    /// <see cref="DeferGenerationCheck"/> opens (outside any transaction), <see cref="IClassStore.SchemaGeneration"/>
    /// may answer the generation last seen; the next <see cref="IInstanceStore.Find"/> reads the stored generation in
    /// its own statement and, when it differs from what was answered, throws a "busy" failure
    /// (<see cref="CimLiteException.IsStorageBusy"/>) so that the busy retry reruns the read with the new generation.
    /// A read that fails before its Find asks <see cref="GenerationChanged"/> whether its classes were stale.
    /// </summary>
    internal interface IDeferredGenerationCheck
    {
        /// <summary>Opens the scope (nothing happens in a transaction); disposing it ends the scope.</summary>
        IDisposable DeferGenerationCheck();

        /// <summary>True when a generation answered in the scope was not checked yet and the stored one differs (one read).</summary>
        bool GenerationChanged();
    }
}
