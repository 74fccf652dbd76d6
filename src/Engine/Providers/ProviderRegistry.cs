using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// The providers of a session: which class is served by which code. Registrations live in memory only,
    /// never in the repository file, so opening a repository never makes anyone run code.
    /// </summary>
    public sealed class ProviderRegistry
    {
        private readonly CimLiteSession _session;
        private readonly Dictionary<string, Registration> _byClass = new Dictionary<string, Registration>(StringComparer.OrdinalIgnoreCase);

        internal ProviderRegistry(CimLiteSession session) { _session = session; }

        /// <summary>A registered provider.</summary>
        public sealed class Registration
        {
            internal Registration(string ns, string className, object provider, ICimLiteInstanceProvider? instances)
            {
                Namespace = ns;
                ClassName = className;
                Provider = provider;
                Instances = instances;
                Methods = provider as ICimLiteMethodProvider;
                ServesReads = instances != null && ServesInstanceReads(provider);
            }

            /// <summary>Its method capability, or null.</summary>
            internal ICimLiteMethodProvider? Methods { get; }

            /// <summary>True when its instance capability answers gets or enumerations (then the puts it accepts are not stored).</summary>
            internal bool ServesReads { get; }

            /// <summary>The namespace of the class.</summary>
            public string Namespace { get; }

            /// <summary>The class the provider serves.</summary>
            public string ClassName { get; }

            /// <summary>The provider object, as registered.</summary>
            public object Provider { get; }

            /// <summary>Its instance capability (an <see cref="ICimLiteProvider"/> served through an adapter), or null.</summary>
            internal ICimLiteInstanceProvider? Instances { get; }

            /// <inheritdoc />
            public override string ToString() => Namespace + ":" + ClassName;
        }

        private static string Key(string ns, string className) => ns + ":" + className;

        /// <summary>
        /// Registers a provider for a class of the repository: any object implementing at least one provider
        /// capability (today <see cref="ICimLiteInstanceProvider"/>, or <see cref="ICimLiteProvider"/>, its first shape).
        /// </summary>
        /// <exception cref="CimLiteException">INVALID_PARAMETER when the object implements no capability; INVALID_CLASS / INVALID_NAMESPACE; ALREADY_EXISTS when the class already has a provider.</exception>
        public Registration Register(string className, object provider, string? @namespace = null)
        {
            if (provider == null) throw new ArgumentNullException(nameof(provider));
            if (!HasCapability(provider.GetType()))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.ProviderWithoutCapability(provider.GetType().FullName ?? provider.GetType().Name), className);
            var cimClass = _session.GetClass(className, @namespace);
            var key = Key(cimClass.Namespace, cimClass.ClassName);
            if (_byClass.ContainsKey(key))
                throw new CimLiteException(CimStatus.AlreadyExists, Messages.ProviderAlreadyRegistered(cimClass.Namespace, cimClass.ClassName), cimClass.ClassName);
            var registration = new Registration(cimClass.Namespace, cimClass.ClassName, provider, InstanceCapability(provider));
            _byClass[key] = registration;
            return registration;
        }

        /// <summary>Removes the provider of a class.</summary>
        /// <exception cref="CimLiteException">NOT_FOUND when the class has no provider.</exception>
        public void Unregister(string className, string? @namespace = null)
        {
            var ns = _session.ResolveNamespace(@namespace);
            if (!_byClass.Remove(Key(ns, className)))
                throw new CimLiteException(CimStatus.NotFound, Messages.ProviderNotRegistered(ns, className), className);
        }

        /// <summary>The registered providers.</summary>
        public IReadOnlyList<Registration> Registrations
        {
            get
            {
                var list = new List<Registration>(_byClass.Values);
                list.Sort((a, b) => string.Compare(a.ToString(), b.ToString(), StringComparison.OrdinalIgnoreCase));
                return list;
            }
        }

        /// <summary>True when objects of <paramref name="type"/> implement at least one provider capability.</summary>
        public static bool HasCapability(Type type)
        {
            if (type == null) throw new ArgumentNullException(nameof(type));
            // A new capability (methods, associations) is one more line here.
            return typeof(ICimLiteInstanceProvider).IsAssignableFrom(type) || typeof(ICimLiteProvider).IsAssignableFrom(type)
                || typeof(ICimLiteMethodProvider).IsAssignableFrom(type)
                || typeof(ICimLiteAssociationProvider).IsAssignableFrom(type);
        }

        private static ICimLiteInstanceProvider? InstanceCapability(object provider)
        {
            if (provider is ICimLiteInstanceCapabilities said && !said.ServesInstances) return null;
            return provider as ICimLiteInstanceProvider ?? (provider is ICimLiteProvider first ? new InstanceProviderAdapter(first) : null);
        }

        // Whether a provider answers reads: as it says, else a CimLiteProvider that overrides GetInstance or
        // EnumerateInstances, else yes (an ICimLiteInstanceProvider or ICimLiteProvider implements all four).
        private static bool ServesInstanceReads(object provider)
        {
            if (provider is ICimLiteInstanceCapabilities said) return said.ServesInstanceReads;
            if (provider is CimLiteProvider)
            {
                var type = provider.GetType();
                return Overrides(type, nameof(CimLiteProvider.GetInstance), typeof(GetInstanceRequest))
                    || Overrides(type, nameof(CimLiteProvider.EnumerateInstances), typeof(EnumerateInstancesRequest));
            }
            return true;
        }

        private static bool Overrides(Type type, string name, Type requestType)
        {
            var m = type.GetMethod(name, new[] { typeof(ICimLiteContext), requestType });
            return m != null && m.DeclaringType != typeof(CimLiteProvider);
        }

        /// <summary>The method capability of the provider of exactly this class, or null.</summary>
        internal ICimLiteMethodProvider? FindMethods(string @namespace, string className) =>
            _byClass.TryGetValue(Key(@namespace, className), out var r) ? r.Methods : null;

        /// <summary>True when the provider of exactly this class answers gets or enumerations.</summary>
        internal bool ServesReads(string @namespace, string className) =>
            _byClass.TryGetValue(Key(@namespace, className), out var r) && r.ServesReads;

        /// <summary>The provider object of exactly this class, or null.</summary>
        public object? Find(string @namespace, string className) =>
            _byClass.TryGetValue(Key(@namespace, className), out var r) ? r.Provider : null;

        /// <summary>The instance capability of the provider of exactly this class, or null.</summary>
        internal ICimLiteInstanceProvider? FindInstances(string @namespace, string className) =>
            _byClass.TryGetValue(Key(@namespace, className), out var r) ? r.Instances : null;

        internal bool IsEmpty => _byClass.Count == 0;

        /// <summary>The association capability of the provider of exactly this class, or null.</summary>
        internal ICimLiteAssociationProvider? FindAssociations(string @namespace, string className) =>
            _byClass.TryGetValue(Key(@namespace, className), out var r) ? r.Provider as ICimLiteAssociationProvider : null;

        /// <summary>
        /// The providers responsible for an instance of <paramref name="cimClass"/>, from the top of the hierarchy
        /// down to the class itself (never its subclasses), and whether any level is served by the repository.
        /// </summary>
        internal List<KeyValuePair<string, ICimLiteInstanceProvider>> Chain(CimLiteClass cimClass, out bool repositoryServes)
        {
            var chain = new List<KeyValuePair<string, ICimLiteInstanceProvider>>(IsEmpty ? 0 : 4);
            repositoryServes = true;
            if (IsEmpty) return chain; // the common case: no provider anywhere, the repository serves every level
            repositoryServes = false;
            var levels = new List<string>(cimClass.Derivation);
            levels.Reverse();
            levels.Add(cimClass.ClassName);
            foreach (var level in levels)
            {
                var provider = FindInstances(cimClass.Namespace, level);
                if (provider != null) chain.Add(new KeyValuePair<string, ICimLiteInstanceProvider>(level, provider));
                else repositoryServes = true;
            }
            // Every level has a provider: the repository still stores what the chain accepts unless the class's own
            // provider answers reads (has Get or Enumerate) — a put-only chain validates, it does not keep the data.
            if (!repositoryServes && !ServesReads(cimClass.Namespace, cimClass.ClassName)) repositoryServes = true;
            return chain;
        }
    }
}
