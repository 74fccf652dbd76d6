namespace CimLite
{
    /// <summary>
    /// Code responsible for the instances of a class (a WMI instance provider). The engine calls it inside the
    /// operation's transaction; it answers through the context (<see cref="ICimLiteContext"/>), never by
    /// returning objects, and fails by throwing (a <see cref="CimLiteException"/> keeps its status; anything
    /// else becomes PROVIDER_FAILURE naming the class).
    /// </summary>
    public interface ICimLiteProvider
    {
        /// <summary>Post the instance named by <paramref name="path"/>, or post nothing when there is none.</summary>
        void GetInstance(ICimLiteContext context, InstancePath path);

        /// <summary>Post every instance of <see cref="ICimLiteContext.ClassName"/>.</summary>
        void EnumerateInstances(ICimLiteContext context);

        /// <summary>
        /// Accept (or refuse, by throwing) the put of an instance of the class or a subclass. For an instance of
        /// <c>C : B : A</c> the providers of A, then B, then C are called. <see cref="ICimLiteContext.PutMode"/> and
        /// <see cref="ICimLiteContext.PropertyList"/> describe the put; refuse what you do not support with
        /// NOT_SUPPORTED.
        /// </summary>
        void PutInstance(ICimLiteContext context, CimLiteInstance instance);

        /// <summary>Accept (or refuse, by throwing) the deletion of the instance named by <paramref name="path"/>.</summary>
        void DeleteInstance(ICimLiteContext context, InstancePath path);
    }

    /// <summary>A provider base whose operations all refuse with NOT_SUPPORTED; override what you serve.</summary>
    public abstract class CimLiteProvider : ICimLiteProvider
    {
        /// <inheritdoc />
        public virtual void GetInstance(ICimLiteContext context, InstancePath path) => throw NotSupported(context, "GetInstance");

        /// <inheritdoc />
        public virtual void EnumerateInstances(ICimLiteContext context) => throw NotSupported(context, "EnumerateInstances");

        /// <inheritdoc />
        public virtual void PutInstance(ICimLiteContext context, CimLiteInstance instance) => throw NotSupported(context, "PutInstance");

        /// <inheritdoc />
        public virtual void DeleteInstance(ICimLiteContext context, InstancePath path) => throw NotSupported(context, "DeleteInstance");

        private static CimLiteException NotSupported(ICimLiteContext context, string operation) =>
            new CimLiteException(CimStatus.NotSupported, Messages.ProviderOperationNotSupported(context.ClassName, operation), context.ClassName);
    }
}
