using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// What a provider is asked to do, one class per request. The context (<see cref="ICimLiteContext"/>) is how the
    /// provider answers; the request is what it answers. A later version adds what a request needs as new
    /// properties here, never as members of a capability interface.
    /// </summary>
    public abstract class ProviderRequest
    {
        internal ProviderRequest(string @namespace, string className)
        {
            Namespace = @namespace;
            ClassName = className;
        }

        /// <summary>The namespace of the request.</summary>
        public string Namespace { get; }

        /// <summary>The class the provider is called for (for a chained put or delete: its level of the hierarchy).</summary>
        public string ClassName { get; }
    }

    /// <summary>A GetInstance request: post the instance named by <see cref="Path"/>, or nothing.</summary>
    public sealed class GetInstanceRequest : ProviderRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public GetInstanceRequest(string @namespace, string className, InstancePath path) : base(@namespace, className) { Path = path ?? throw new ArgumentNullException(nameof(path)); }

        /// <summary>The full path of the wanted instance (it may name a superclass of the instance's class).</summary>
        public InstancePath Path { get; }
    }

    /// <summary>An EnumerateInstances request: post every instance of <see cref="ProviderRequest.ClassName"/>.</summary>
    public sealed class EnumerateInstancesRequest : ProviderRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public EnumerateInstancesRequest(string @namespace, string className) : base(@namespace, className) { }
    }

    /// <summary>A PutInstance request: accept (or refuse, by throwing) the put of <see cref="Instance"/>.</summary>
    public sealed class PutInstanceRequest : ProviderRequest
    {
        private static readonly IReadOnlyCollection<string> NoProperties = Array.Empty<string>();

        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public PutInstanceRequest(string @namespace, string className, CimLiteInstance instance, PutMode mode, IReadOnlyCollection<string>? propertyList)
            : base(@namespace, className)
        {
            Instance = instance ?? throw new ArgumentNullException(nameof(instance));
            Mode = mode;
            PropertyList = propertyList ?? NoProperties;
        }

        /// <summary>The instance being put (a copy of its own: changing it changes nothing).</summary>
        public CimLiteInstance Instance { get; }

        /// <summary>The put mode.</summary>
        public PutMode Mode { get; }

        /// <summary>The properties of a partial put; empty for a full put.</summary>
        public IReadOnlyCollection<string> PropertyList { get; }
    }

    /// <summary>A DeleteInstance request: accept (or refuse, by throwing) the deletion of the instance named by <see cref="Path"/>.</summary>
    public sealed class DeleteInstanceRequest : ProviderRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public DeleteInstanceRequest(string @namespace, string className, InstancePath path) : base(@namespace, className) { Path = path ?? throw new ArgumentNullException(nameof(path)); }

        /// <summary>The full path of the instance, naming its own class when the repository holds it.</summary>
        public InstancePath Path { get; }
    }

    /// <summary>
    /// An InvokeMethod request (WMI's ExecMethod, MI's Invoke): run <see cref="MethodName"/> on <see cref="Instance"/>
    /// (null for a static call) with <see cref="Arguments"/>, and return the result from
    /// <see cref="ICimLiteMethodProvider.InvokeMethod"/>.
    /// </summary>
    public sealed class InvokeMethodRequest : ProviderRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public InvokeMethodRequest(string @namespace, string className, CimMethodDefinition method, CimLiteInstance? instance,
            IReadOnlyDictionary<string, object?> arguments) : base(@namespace, className)
        {
            Method = method ?? throw new ArgumentNullException(nameof(method));
            Instance = instance;
            Arguments = arguments ?? throw new ArgumentNullException(nameof(arguments));
        }

        /// <summary>The method's name as declared.</summary>
        public string MethodName => Method.Name;

        /// <summary>The method's declaration as the target's class sees it (return type, parameters, qualifiers).</summary>
        public CimMethodDefinition Method { get; }

        /// <summary>The stored (or provided) target instance, a copy of its own; null for a static call.</summary>
        public CimLiteInstance? Instance { get; }

        /// <summary>True for a call on the class (no instance).</summary>
        public bool IsStatic => Instance == null;

        /// <summary>The In arguments given, converted to their declared types (read-only; names as declared).</summary>
        public IReadOnlyDictionary<string, object?> Arguments { get; }

        /// <summary>
        /// The error that says "this provider has no handler for the method" (NOT_SUPPORTED): the engine then asks the
        /// provider of the nearest ancestor class instead. Throw it from <see cref="ICimLiteMethodProvider.InvokeMethod"/>.
        /// </summary>
        public CimLiteException NotHandled() =>
            new CimLiteException(CimStatus.NotSupported, Messages.MethodNotHandled(ClassName, MethodName), ClassName) { MessageNamesClass = true, IsNoHandler = true };
    }
}
