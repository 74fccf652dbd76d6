namespace CimLite
{
    /// <summary>
    /// The instance capability of a provider (a WMI instance provider): code responsible for the instances of a
    /// class. The engine calls it inside the operation's transaction; it answers through the context
    /// (<see cref="ICimLiteContext"/>), never by returning objects, and fails by throwing (a
    /// <see cref="CimLiteException"/> keeps its status; anything else becomes PROVIDER_FAILURE naming the class).
    /// </summary>
    /// <remarks>
    /// A provider is any object implementing at least one capability interface; the engine finds its capabilities
    /// with <c>is</c>. Each capability is its own interface and never gains members: what a later version adds to
    /// a request is a new property of its request object, and a new kind of request is a new capability interface
    /// (the coming method capability, <c>InvokeMethod</c>, and association capability, <c>Associators</c>/<c>References</c>,
    /// will be interfaces of their own beside this one, taking request objects of their own). A provider that
    /// implements only this interface keeps compiling and working when those arrive.
    /// </remarks>
    public interface ICimLiteInstanceProvider
    {
        /// <summary>Post the instance named by <see cref="GetInstanceRequest.Path"/>, or post nothing when there is none.</summary>
        void GetInstance(ICimLiteContext context, GetInstanceRequest request);

        /// <summary>Post every instance of <see cref="ProviderRequest.ClassName"/>.</summary>
        void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request);

        /// <summary>
        /// Accept (or refuse, by throwing) the put of an instance of the class or a subclass. For an instance of
        /// <c>C : B : A</c> the providers of A, then B, then C are called. <see cref="PutInstanceRequest.Mode"/> and
        /// <see cref="PutInstanceRequest.PropertyList"/> describe the put; refuse what you do not support with
        /// NOT_SUPPORTED.
        /// </summary>
        void PutInstance(ICimLiteContext context, PutInstanceRequest request);

        /// <summary>Accept (or refuse, by throwing) the deletion of the instance named by <see cref="DeleteInstanceRequest.Path"/>.</summary>
        void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request);
    }

    /// <summary>
    /// The first shape of the instance capability, kept so that existing providers compile and run unchanged: the
    /// engine serves it as an <see cref="ICimLiteInstanceProvider"/>. It never gains members. New providers
    /// implement <see cref="ICimLiteInstanceProvider"/> (or derive from <see cref="CimLiteProvider"/>), whose put
    /// request carries the put mode and property list.
    /// </summary>
    public interface ICimLiteProvider
    {
        /// <summary>Post the instance named by <paramref name="path"/>, or post nothing when there is none.</summary>
        void GetInstance(ICimLiteContext context, InstancePath path);

        /// <summary>Post every instance of <see cref="ICimLiteContext.ClassName"/>.</summary>
        void EnumerateInstances(ICimLiteContext context);

        /// <summary>Accept (or refuse, by throwing) the put of an instance of the class or a subclass.</summary>
        void PutInstance(ICimLiteContext context, CimLiteInstance instance);

        /// <summary>Accept (or refuse, by throwing) the deletion of the instance named by <paramref name="path"/>.</summary>
        void DeleteInstance(ICimLiteContext context, InstancePath path);
    }

    /// <summary>
    /// The method capability of a provider (WMI's ExecMethod, MI's Invoke): runs the methods of a class. The engine
    /// has checked the method, the target and the arguments before calling; the provider returns the result.
    /// </summary>
    public interface ICimLiteMethodProvider
    {
        /// <summary>
        /// Runs <see cref="InvokeMethodRequest.MethodName"/>. Return an <see cref="System.Collections.IDictionary"/> of
        /// <c>ReturnValue</c> and Out parameter values, or just the return value; each is converted to its declared type.
        /// Throw <see cref="InvokeMethodRequest.NotHandled"/> for a method this provider does not run (the provider of the
        /// nearest ancestor class is asked then); any other throw fails the call and rolls back what it wrote.
        /// </summary>
        object? InvokeMethod(ICimLiteContext context, InvokeMethodRequest request);
    }

    /// <summary>
    /// Optional: a provider that implements it tells the engine which parts of its instance capability it really
    /// serves (scriptblock providers do: a provider registered with -Method only serves no instance operation, and
    /// one with -Put only does not serve reads). Without it, an <see cref="ICimLiteInstanceProvider"/> serves all four,
    /// and a <see cref="CimLiteProvider"/> serves reads when it overrides GetInstance or EnumerateInstances.
    /// </summary>
    public interface ICimLiteInstanceCapabilities
    {
        /// <summary>False when the provider serves no instance operation at all (the repository serves the class).</summary>
        bool ServesInstances { get; }

        /// <summary>True when the provider answers gets or enumerations: then the instances it accepts are not stored.</summary>
        bool ServesInstanceReads { get; }
    }

    /// <summary>An instance, method and association provider base whose operations all refuse with NOT_SUPPORTED; override what you serve.</summary>
    public abstract class CimLiteProvider : ICimLiteInstanceProvider, ICimLiteMethodProvider, ICimLiteAssociationProvider
    {
        /// <summary>Refuses every method: the provider of the nearest ancestor class is asked instead (or the call is NOT_SUPPORTED).</summary>
        public virtual object? InvokeMethod(ICimLiteContext context, InvokeMethodRequest request) => throw request.NotHandled();

        /// <inheritdoc />
        public virtual void AssociatorInstances(ICimLiteContext context, AssociatorInstancesRequest request) => throw NotSupported(context, "AssociatorInstances");

        /// <inheritdoc />
        public virtual void ReferenceInstances(ICimLiteContext context, ReferenceInstancesRequest request) => throw NotSupported(context, "ReferenceInstances");

        /// <inheritdoc />
        public virtual void GetInstance(ICimLiteContext context, GetInstanceRequest request) => throw NotSupported(context, "GetInstance");

        /// <inheritdoc />
        public virtual void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request) => throw NotSupported(context, "EnumerateInstances");

        /// <inheritdoc />
        public virtual void PutInstance(ICimLiteContext context, PutInstanceRequest request) => throw NotSupported(context, "PutInstance");

        /// <inheritdoc />
        public virtual void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request) => throw NotSupported(context, "DeleteInstance");

        private static CimLiteException NotSupported(ICimLiteContext context, string operation) =>
            new CimLiteException(CimStatus.NotSupported, Messages.ProviderOperationNotSupported(context.ClassName, operation), context.ClassName) { MessageNamesClass = true };
    }

    /// <summary>Serves a provider of the first shape (<see cref="ICimLiteProvider"/>) as an instance capability.</summary>
    internal sealed class InstanceProviderAdapter : ICimLiteInstanceProvider
    {
        public InstanceProviderAdapter(ICimLiteProvider inner) { Inner = inner; }

        public ICimLiteProvider Inner { get; }

        public void GetInstance(ICimLiteContext context, GetInstanceRequest request) => Inner.GetInstance(context, request.Path);

        public void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request) => Inner.EnumerateInstances(context);

        public void PutInstance(ICimLiteContext context, PutInstanceRequest request) => Inner.PutInstance(context, request.Instance);

        public void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request) => Inner.DeleteInstance(context, request.Path);
    }
}
