using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace CimLite.Adapters
{
    /// <summary>
    /// Wraps instances for the pipeline with a default display property set, as WMI's format data does for
    /// its classes: the keys first (in key order), then the other CIM properties in class order up to
    /// <see cref="MaxDefaultDisplayProperties"/> in all, so that a plain <c>Get-CimLiteInstance</c> is a readable
    /// table of data, not WMI system properties. Every property stays reachable (<c>$i.Name</c>, <c>Format-List *</c>).
    /// </summary>
    internal static class InstanceOutput
    {
        /// <summary>
        /// At most this many properties in the default view (all keys are shown even when there are more):
        /// PowerShell formats objects with fewer than five default properties as a table.
        /// </summary>
        internal const int MaxDefaultDisplayProperties = 4;

        /// <summary>
        /// The instance as the pipeline shows it; <paramref name="session"/> (null for -ClientOnly) is remembered as the
        /// session it came from (see <see cref="Sessions.InstanceSessions"/>).
        /// </summary>
        public static PSObject Wrap(CimLiteInstance instance, CimLiteSession? session) => Wrap(instance, session, null);

        /// <summary>
        /// <see cref="Wrap(CimLiteInstance, CimLiteSession)"/> for a writer of many instances, with its
        /// <see cref="DisplayTypeData.Memo"/> (the answer for the previous instance's class).
        /// </summary>
        public static PSObject Wrap(CimLiteInstance instance, CimLiteSession? session, DisplayTypeData.Memo? memo)
        {
            if (session != null) Sessions.InstanceSessions.Remember(instance, session);
            var pso = PSObject.AsPSObject(instance);
            // The display set of the class is type data of this runspace: nothing to add to the object.
            if (DisplayTypeData.Covers(instance.Class, memo)) return pso;
            // Pre-validated: the set's name is not reserved and it is new on this object; the unvalidated Add would also
            // compute the object's type names and look them up in the type table, per object (see ARCHITECTURE.md,
            // performance notes). Add copies the set, so the cached one is never shared.
            pso.Members.Add(StandardMembers(instance.Class), true);
            return pso;
        }

        private static readonly ConditionalWeakTable<CimLiteClass, PSMemberSet> s_standardMembers = new ConditionalWeakTable<CimLiteClass, PSMemberSet>();
        private static readonly ConditionalWeakTable<CimLiteClass, PSMemberSet>.CreateValueCallback s_makeStandardMembers = cimClass =>
            new StandardMemberSet(new PSPropertySet("DefaultDisplayPropertySet", DefaultDisplayProperties(cimClass)));

        /// <summary>
        /// PSStandardMembers with its one DefaultDisplayPropertySet. <see cref="PSMemberSet.Copy"/> (which adding a member
        /// set to an object calls) copies through the integrating member collections, with type-table lookups; this
        /// copy makes the same set directly.
        /// </summary>
        private sealed class StandardMemberSet : PSMemberSet
        {
            private readonly PSPropertySet _display;

            public StandardMemberSet(PSPropertySet display) : base("PSStandardMembers", new PSMemberInfo[] { display }) { _display = display; }

            /// <inheritdoc />
            public override PSMemberInfo Copy() => new StandardMemberSet(_display);
        }

        /// <summary>
        /// The PSStandardMembers set (its DefaultDisplayPropertySet) of a class's instances, made once per class
        /// definition (a changed class is a new <see cref="CimLiteClass"/> object; the table holds none alive).
        /// </summary>
        internal static PSMemberSet StandardMembers(CimLiteClass cimClass) => s_standardMembers.GetValue(cimClass, s_makeStandardMembers);

        /// <summary>The default view of a class's instances: keys, then other properties in class order, capped.</summary>
        internal static List<string> DefaultDisplayProperties(CimLiteClass cimClass)
        {
            var names = new List<string>(MaxDefaultDisplayProperties);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var k in cimClass.KeyProperties)
                if (seen.Add(k.Name)) names.Add(k.Name);
            foreach (var p in cimClass.Properties)
            {
                if (names.Count >= MaxDefaultDisplayProperties) break;
                if (seen.Add(p.Name)) names.Add(p.Name);
            }
            return names;
        }
    }
}
