namespace CimLite
{
    /// <summary>The operation a provider is called for.</summary>
    public enum CimOperation
    {
        /// <summary>GetInstance.</summary>
        GetInstance,
        /// <summary>EnumerateInstances.</summary>
        EnumerateInstances,
        /// <summary>PutInstance.</summary>
        PutInstance,
        /// <summary>DeleteInstance.</summary>
        DeleteInstance,
        /// <summary>InvokeMethod.</summary>
        InvokeMethod,
        /// <summary>AssociatorInstances (ASSOCIATORS OF, Get-CimLiteAssociatedInstance).</summary>
        AssociatorInstances,
        /// <summary>ReferenceInstances (REFERENCES OF).</summary>
        ReferenceInstances,
    }

    /// <summary>The stream a provider message goes to (MI_WriteMessage channels).</summary>
    public enum CimMessageChannel
    {
        /// <summary>Verbose stream.</summary>
        Verbose,
        /// <summary>Warning stream.</summary>
        Warning,
        /// <summary>Debug stream.</summary>
        Debug,
    }

    /// <summary>
    /// How a provider answers a request, modelled on MI_Context: what the request asks travels in its request
    /// object (<see cref="PutInstanceRequest"/> and the like); the context is the same for every capability. Posted instances and indications are
    /// snapshotted at the moment of posting (copy-on-post): changing the posted object afterwards changes
    /// nothing the client sees.
    /// </summary>
    public interface ICimLiteContext
    {
        /// <summary>The operation.</summary>
        CimOperation Operation { get; }

        /// <summary>The namespace of the request.</summary>
        string Namespace { get; }

        /// <summary>The class this provider is called for (for a chained put: the level of the hierarchy).</summary>
        string ClassName { get; }

        /// <summary>True once the client cancelled the request; posts are then ignored.</summary>
        bool IsCancelled { get; }

        /// <summary>Makes an instance of a class of the request's namespace (MI_Context_NewInstance): class defaults, then the given values.</summary>
        /// <exception cref="CimLiteException">INVALID_CLASS, NO_SUCH_PROPERTY, TYPE_MISMATCH.</exception>
        CimLiteInstance NewInstance(string className, System.Collections.IDictionary? values = null);

        /// <summary>Posts a result instance to the client (snapshot taken now). Every key must be set.</summary>
        /// <exception cref="CimLiteException">FAILED when a key is null or the request has completed.</exception>
        void PostInstance(CimLiteInstance instance);

        /// <summary>Posts an indication to the durable posted queue (snapshot taken now).</summary>
        /// <exception cref="CimLiteException">INVALID_CLASS when the instance is not of an indication class; FAILED when the request has completed.</exception>
        void PostIndication(CimLiteInstance indication);

        /// <summary>Ends the request with an error: the operation fails with it once the provider returns.</summary>
        void PostError(CimStatus status, string message);

        /// <summary>Writes a message to the client's verbose, warning or debug stream.</summary>
        void WriteMessage(CimMessageChannel channel, string message);

        /// <summary>Reports progress to the client.</summary>
        void WriteProgress(string activity, string statusDescription, int percentComplete);

        /// <summary>Asks the client whether to go ahead (honours -WhatIf and -Confirm).</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>Asks the client a yes/no question.</summary>
        bool ShouldContinue(string query, string caption);

        /// <summary>
        /// A session whose operations run inside this call's transaction (put, delete and method calls): what the
        /// provider writes through it is kept only when the call succeeds, and rolled back with it otherwise (posted
        /// indications included). Usable until the provider returns; later use fails with INVALID_OPERATION.
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_OPERATION for a get or enumerate call (they run no transaction).</exception>
        CimLiteSession LocalSession { get; }
    }

    /// <summary>
    /// What the client side of a request provides: where posted results, messages and progress go, and the
    /// answers to ShouldProcess/ShouldContinue. The module implements it over the cmdlet's streams.
    /// </summary>
    public interface ICimLiteOperationSink
    {
        /// <summary>A posted result (an immutable snapshot).</summary>
        void OnInstance(CimLiteInstance instance);

        /// <summary>A provider message.</summary>
        void OnMessage(CimMessageChannel channel, string message);

        /// <summary>Provider progress.</summary>
        void OnProgress(string activity, string statusDescription, int percentComplete);

        /// <summary>ShouldProcess on behalf of a provider.</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>ShouldContinue on behalf of a provider.</summary>
        bool ShouldContinue(string query, string caption);
    }
}
