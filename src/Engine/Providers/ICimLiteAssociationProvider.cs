namespace CimLite
{
    /// <summary>
    /// The association capability of a provider registered for an association class (MI's AssociatorInstances and
    /// ReferenceInstances): it answers for the association instances of its class that refer to a source instance,
    /// through the context, as the instance capability does. Refusing with NOT_SUPPORTED (what
    /// <see cref="CimLiteProvider"/> does by default) makes the engine fall back to the class's enumeration: every
    /// posted association instance that refers to the source is followed, as stored ones are.
    /// </summary>
    public interface ICimLiteAssociationProvider
    {
        /// <summary>
        /// Post the instances at the other ends of the association instances of <see cref="ProviderRequest.ClassName"/>
        /// that refer to <see cref="AssociationRequest.Instance"/> (filtered by the request's result class and roles;
        /// the engine checks the filters again and keeps each result once).
        /// </summary>
        void AssociatorInstances(ICimLiteContext context, AssociatorInstancesRequest request);

        /// <summary>Post the association instances of <see cref="ProviderRequest.ClassName"/> that refer to <see cref="AssociationRequest.Instance"/>.</summary>
        void ReferenceInstances(ICimLiteContext context, ReferenceInstancesRequest request);
    }

    /// <summary>What the association requests share: the source instance and the role filter.</summary>
    public abstract class AssociationRequest : ProviderRequest
    {
        internal AssociationRequest(string @namespace, string className, CimLiteInstance instance, string? role) : base(@namespace, className)
        {
            Instance = instance ?? throw new System.ArgumentNullException(nameof(instance));
            Role = role;
        }

        /// <summary>The source instance (a copy of its own).</summary>
        public CimLiteInstance Instance { get; }

        /// <summary>Only associations that refer to the source through this property, or null.</summary>
        public string? Role { get; }
    }

    /// <summary>An AssociatorInstances request.</summary>
    public sealed class AssociatorInstancesRequest : AssociationRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public AssociatorInstancesRequest(string @namespace, string className, CimLiteInstance instance, string? assocClass, string? resultClass, string? role, string? resultRole)
            : base(@namespace, className, instance, role)
        {
            AssocClass = assocClass;
            ResultClass = resultClass;
            ResultRole = resultRole;
        }

        /// <summary>Only through associations of this class or a subclass, or null.</summary>
        public string? AssocClass { get; }

        /// <summary>Only results of this class or a subclass, or null.</summary>
        public string? ResultClass { get; }

        /// <summary>Only results the association refers to through this property, or null.</summary>
        public string? ResultRole { get; }
    }

    /// <summary>A ReferenceInstances request.</summary>
    public sealed class ReferenceInstancesRequest : AssociationRequest
    {
        /// <summary>Creates the request (the engine does; a provider's own tests may too).</summary>
        public ReferenceInstancesRequest(string @namespace, string className, CimLiteInstance instance, string? resultClass, string? role)
            : base(@namespace, className, instance, role)
        {
            ResultClass = resultClass;
        }

        /// <summary>Only association instances of this class or a subclass, or null.</summary>
        public string? ResultClass { get; }
    }
}
