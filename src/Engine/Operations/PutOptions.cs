using System.Collections.Generic;
using System.Threading;

namespace CimLite
{
    /// <summary>What a put may do (WMI's WBEM_FLAG_CREATE_OR_UPDATE, _UPDATE_ONLY, _CREATE_ONLY).</summary>
    public enum PutMode
    {
        /// <summary>Create the instance, or update it when it exists.</summary>
        CreateOrUpdate,
        /// <summary>Update an existing instance; NOT_FOUND when there is none.</summary>
        UpdateOnly,
        /// <summary>Create a new instance; ALREADY_EXISTS when there is one.</summary>
        CreateOnly,
    }

    /// <summary>Where provider output of an operation goes, and how the client cancels it.</summary>
    public class OperationOptions
    {
        /// <summary>Receives what providers post and write (results, messages, progress) and answers their prompts.</summary>
        public ICimLiteOperationSink? Sink { get; set; }

        /// <summary>Cancels the operation: providers see <see cref="ICimLiteContext.IsCancelled"/> and further posts are ignored.</summary>
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>Options of <see cref="CimLiteSession.PutInstance"/>.</summary>
    public sealed class PutOptions : OperationOptions
    {
        /// <summary>The put mode. Default CreateOrUpdate.</summary>
        public PutMode Mode { get; set; }

        /// <summary>
        /// For a partial update (WMI's __PUT_EXT_PROPERTIES): the properties to change; the others keep their
        /// stored values. Null for a full put. A partial put always updates.
        /// </summary>
        public IReadOnlyCollection<string>? PropertyList { get; set; }

        /// <summary>In a partial update, a null value sets the property to null (WMI's __PUT_EXT_STRICT_NULLS) instead of leaving it unchanged.</summary>
        public bool StrictNulls { get; set; }

        /// <summary>Do not store qualifiers with the Amended flavor (WMI's WBEM_FLAG_USE_AMENDED_QUALIFIERS).</summary>
        public bool UseAmendedQualifiers { get; set; }
    }

    /// <summary>Options of <see cref="CimLiteSession.DeleteInstance"/>.</summary>
    public sealed class DeleteOptions : OperationOptions
    {
        /// <summary>Also delete every stored association instance that refers to the deleted instance, in the same transaction (Remove-CimLiteInstance -IncludeAssociations).</summary>
        public bool IncludeAssociations { get; set; }
    }
}
