using System;
using System.Collections.Generic;

namespace CimLite
{
    /// <summary>
    /// A class as stored in a repository: own and inherited properties with their effective qualifiers,
    /// the derivation chain and the key rules that follow from it. Immutable.
    /// </summary>
    public sealed class CimLiteClass
    {
        private readonly Dictionary<string, CimPropertyDeclaration> _byName;
        private readonly Dictionary<string, int> _indexByName;

        internal CimLiteClass(long id, string @namespace, CimClassDefinition definition, CimLiteClass? superclass,
            IReadOnlyList<CimPropertyDeclaration> properties, IReadOnlyList<CimQualifier> qualifiers)
        {
            Id = id;
            Namespace = @namespace;
            Definition = definition;
            ClassName = definition.ClassName;
            SuperclassDefinition = superclass;
            Superclass = superclass?.ClassName;
            Properties = properties;
            Qualifiers = qualifiers;
            _byName = new Dictionary<string, CimPropertyDeclaration>(CimName.Comparer);
            foreach (var p in properties) _byName[p.Name] = p;
            _indexByName = new Dictionary<string, int>(CimName.Comparer);
            for (int i = 0; i < properties.Count; i++) if (!_indexByName.ContainsKey(properties[i].Name)) _indexByName[properties[i].Name] = i;
            var derivation = new List<string>();
            for (var c = superclass; c != null; c = c.SuperclassDefinition) derivation.Add(c.ClassName);
            Derivation = derivation;
            IsAbstract = FindOwn(definition.Qualifiers, "Abstract")?.IsTrue == true;
            IsIndication = Find("Indication")?.IsTrue == true;
            var keys = new List<CimPropertyDeclaration>();
            foreach (var p in properties) if (p.IsKey) keys.Add(p);
            KeyProperties = keys;
            var keyIndexes = new int[keys.Count];
            for (int k = 0; k < keys.Count; k++)
                for (int i = 0; i < properties.Count; i++)
                    if (ReferenceEquals(properties[i], keys[k])) { keyIndexes[k] = i; break; }
            KeyIndexes = keyIndexes;
            // The key root is the topmost class with this class's keys: where the last key became a key (a key
            // property may have been declared, key-less, by an abstract ancestor, as CIM_System does with Name).
            var root = this;
            for (var a = superclass; a != null && keys.Count > 0 && a.KeyProperties.Count == keys.Count; a = a.SuperclassDefinition) root = a;
            KeyRootClass = keys.Count > 0 ? root.ClassName : ClassName;
        }

        internal long Id { get; }

        internal CimClassDefinition Definition { get; }

        internal CimLiteClass? SuperclassDefinition { get; }

        /// <summary>The class name.</summary>
        public string ClassName { get; }

        /// <summary>The superclass name, or null for a root class.</summary>
        public string? Superclass { get; }

        /// <summary>The namespace the class lives in.</summary>
        public string Namespace { get; }

        /// <summary>Ancestors from the direct superclass up to the root (WMI's __DERIVATION).</summary>
        public IReadOnlyList<string> Derivation { get; }

        /// <summary>The topmost class of the hierarchy (WMI's __DYNASTY).</summary>
        public string Dynasty => Derivation.Count == 0 ? ClassName : Derivation[Derivation.Count - 1];

        /// <summary>Own and inherited properties, inherited first in the order their classes declare them.</summary>
        public IReadOnlyList<CimPropertyDeclaration> Properties { get; }

        /// <summary>Effective class qualifiers (own plus those propagated from ancestors).</summary>
        public IReadOnlyList<CimQualifier> Qualifiers { get; }

        /// <summary>True when the class carries the Abstract qualifier (it is not inherited).</summary>
        public bool IsAbstract { get; }

        /// <summary>True for indication classes: their instances are posted, not stored.</summary>
        public bool IsIndication { get; }

        /// <summary>The key properties in declared order.</summary>
        public IReadOnlyList<CimPropertyDeclaration> KeyProperties { get; }

        /// <summary>The positions of <see cref="KeyProperties"/> in <see cref="Properties"/>.</summary>
        internal int[] KeyIndexes { get; }

        /// <summary>True for a concrete class without keys: at most one instance, path <c>Class=@</c>.</summary>
        public bool IsSingleton => KeyProperties.Count == 0 && !IsAbstract;

        /// <summary>The class that declares the keys; instance keys are unique across its whole hierarchy.</summary>
        public string KeyRootClass { get; }

        private string[]? _jsonMemberNames;

        /// <summary>
        /// Each property's name as the stored JSON spells a member's start (<c>"Name":</c>), built once per class: every
        /// put encodes them (issue 17). The class is immutable, so a race only builds the same array twice.
        /// </summary>
        internal string[] JsonMemberNames
        {
            get
            {
                var names = _jsonMemberNames;
                if (names != null) return names;
                names = new string[Properties.Count];
                var sb = new System.Text.StringBuilder();
                for (int i = 0; i < names.Length; i++)
                {
                    sb.Clear();
                    Storage.Json.WriteString(sb, Properties[i].Name);
                    names[i] = sb.Append(':').ToString();
                }
                return _jsonMemberNames = names;
            }
        }

        private int _referenceKinds = -1;

        /// <summary>True when a property is a scalar reference (the instance has reference index entries).</summary>
        internal bool HasScalarReferences => (ReferenceKinds & 1) != 0;

        /// <summary>True when a property is a reference, scalar or array (a put checks the paths' classes).</summary>
        internal bool HasAnyReferences => (ReferenceKinds & 2) != 0;

        private int ReferenceKinds
        {
            get
            {
                int kinds = _referenceKinds;
                if (kinds >= 0) return kinds;
                kinds = 0;
                foreach (var p in Properties)
                    if (p.CimType == CimType.Reference) kinds |= p.IsArray ? 2 : 3;
                return _referenceKinds = kinds;
            }
        }

        private IReadOnlyList<CimMethodDefinition>? _methods;

        /// <summary>Own and inherited methods (an override replaces the inherited declaration), inherited first.</summary>
        public IReadOnlyList<CimMethodDefinition> Methods
        {
            get
            {
                if (_methods != null) return _methods;
                var list = new List<CimMethodDefinition>();
                if (SuperclassDefinition != null) list.AddRange(SuperclassDefinition.Methods);
                foreach (var m in Definition.Methods)
                {
                    int at = list.FindIndex(x => CimName.Comparer.Equals(x.Name, m.Name));
                    if (at >= 0) list[at] = Override(list[at], m);
                    else list.Add(Own(m, ClassName));
                }
                return _methods = list;
            }
        }

        // A method as this class declares it, with its origin noted (a copy: the definition stays as stored).
        private static CimMethodDefinition Own(CimMethodDefinition m, string origin)
        {
            var copy = new CimMethodDefinition(m.Name, m.ReturnType) { ClassOrigin = origin };
            copy.Qualifiers.AddRange(m.Qualifiers);
            foreach (var p in m.Parameters)
            {
                var pc = new CimParameterDefinition(p.Name, p.Type) { ArraySize = p.ArraySize };
                pc.Qualifiers.AddRange(p.Qualifiers);
                copy.Parameters.Add(pc);
            }
            return copy;
        }

        // An override (DSP0004): the subclass's declaration (its return type and parameters), with the inherited
        // method's and parameters' qualifiers that propagate to subclasses (not Restricted) unless it sets them itself.
        private static CimMethodDefinition Override(CimMethodDefinition inherited, CimMethodDefinition own)
        {
            var copy = new CimMethodDefinition(own.Name, own.ReturnType) { ClassOrigin = inherited.ClassOrigin };
            copy.Qualifiers.AddRange(MergeQualifiers(inherited.Qualifiers, own.Qualifiers));
            foreach (var p in own.Parameters)
            {
                var pc = new CimParameterDefinition(p.Name, p.Type) { ArraySize = p.ArraySize };
                var before = inherited.FindParameter(p.Name);
                pc.Qualifiers.AddRange(before == null ? p.Qualifiers : MergeQualifiers(before.Qualifiers, p.Qualifiers));
                copy.Parameters.Add(pc);
            }
            return copy;
        }

        private static List<CimQualifier> MergeQualifiers(List<CimQualifier> inherited, List<CimQualifier> own)
        {
            var result = new List<CimQualifier>();
            foreach (var q in inherited) if (q.PropagatesToSubclass) result.Add(q);
            foreach (var q in own)
            {
                int at = result.FindIndex(r => CimName.Comparer.Equals(r.Name, q.Name));
                if (at >= 0) result[at] = q; else result.Add(q);
            }
            return result;
        }

        /// <summary>Finds a method by name (case-insensitive), or null.</summary>
        public CimMethodDefinition? FindMethod(string name)
        {
            foreach (var m in Methods) if (CimName.Comparer.Equals(m.Name, name)) return m;
            return null;
        }

        /// <summary>True for association classes (Association qualifier).</summary>
        public bool IsAssociation => Find("Association")?.IsTrue == true;

        /// <summary>The position of a property in <see cref="Properties"/> (case-insensitive name), or -1: one hash lookup.</summary>
        internal int PropertyIndex(string name) => name != null && _indexByName.TryGetValue(name, out var i) ? i : -1;

        /// <summary>Finds a property by name (case-insensitive), or null.</summary>
        public CimPropertyDeclaration? FindProperty(string name) =>
            name != null && _byName.TryGetValue(name, out var p) ? p : null;

        /// <summary>Finds an effective class qualifier by name, or null.</summary>
        public CimQualifier? Find(string qualifierName) => FindOwn(Qualifiers, qualifierName);

        internal static CimQualifier? FindOwn(IEnumerable<CimQualifier> qualifiers, string name)
        {
            foreach (var q in qualifiers)
                if (CimName.Comparer.Equals(q.Name, name)) return q;
            return null;
        }

        /// <summary>The order classes are listed and enumerated in: parents before children, then by name.</summary>
        internal static int CompareByDepthThenName(CimLiteClass a, CimLiteClass b)
        {
            int depth = a.Derivation.Count.CompareTo(b.Derivation.Count);
            return depth != 0 ? depth : string.Compare(a.ClassName, b.ClassName, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>True when this class is <paramref name="className"/> or derives from it.</summary>
        public bool IsA(string className)
        {
            if (CimName.Comparer.Equals(ClassName, className)) return true;
            foreach (var d in Derivation) if (CimName.Comparer.Equals(d, className)) return true;
            return false;
        }

        /// <inheritdoc />
        public override string ToString() => Namespace + ":" + ClassName;
    }
}
