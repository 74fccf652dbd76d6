using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CimLite.Adapters
{
    /// <summary>
    /// The default display property set of a class's instances given once per class and runspace as type data (the
    /// runspace's type table: a visible PSStandardMembers member set for <c>CimLite.CimLiteInstance#Class</c>, through
    /// <c>Update-TypeData -TypeData</c>), so that instances written to the pipeline need no instance member: an
    /// instance member costs PowerShell a weak-table entry per object (its instance-member collection), which every
    /// garbage collection scans, and copies of the member set; about a third of <c>Get-CimLiteInstance</c>'s time
    /// (docs/ARCHITECTURE.md, performance notes).
    /// </summary>
    /// <remarks>
    /// The type table answers by type name, and the type names (what <c>PSTypeNames</c> shows) are the same for two different definitions of a class (two repositories, or a class
    /// changed). So a runspace's registrations hold only while every definition seen in it for a type name has the same
    /// display set. The first time a definition differs, the runspace stops using type data for good: its registrations
    /// are removed, and every instance written afterwards carries its own PSStandardMembers again (as before issue 17;
    /// a PSStandardMembers in the type table would win over an instance member). Type data another party gave any of a
    /// class's type names (a types.ps1xml, Update-TypeData) is never touched: that class's instances carry their own
    /// member, as before. Without a runspace on the current thread (a job's thread) nothing is registered.
    /// </remarks>
    internal static class DisplayTypeData
    {
        internal sealed class RunspaceState
        {
            /// <summary>Type name → the display set registered for it by this module.</summary>
            public readonly Dictionary<string, string[]> Registered = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);

            /// <summary>Class definition → whether its instances' display set comes from the type table (decided once).</summary>
            public readonly ConditionalWeakTable<CimLiteClass, object> Decided = new ConditionalWeakTable<CimLiteClass, object>();

            /// <summary>Set when two definitions of one type name differed: no type data any more.</summary>
            public bool Off;
        }

        private static readonly object s_covered = true, s_notCovered = false;

        /// <summary>
        /// The setter of <see cref="TypeMemberData.Name"/> (internal): a property set inside a member set needs its name,
        /// and only a member set of our own can be a visible PSStandardMembers (Update-TypeData's
        /// -DefaultDisplayPropertySet makes a hidden one, which Get-Member without -Force would no longer list).
        /// Missing (another PowerShell): the member set is made by instances as before.
        /// </summary>
        private static readonly MethodInfo? s_setMemberName =
            typeof(TypeMemberData).GetProperty(nameof(TypeMemberData.Name), BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetSetMethod(true);
        private static readonly ConditionalWeakTable<Runspace, RunspaceState> s_states = new ConditionalWeakTable<Runspace, RunspaceState>();

        /// <summary>
        /// A one-entry memory of the last answer, for a writer of many instances (one per command): the answer for a
        /// class stays the same within a runspace until the runspace turns type data off, which the memory checks.
        /// </summary>
        internal sealed class Memo
        {
            internal Runspace? Runspace;
            internal CimLiteClass? Class;
            internal bool Covered;
            internal RunspaceState? State;
        }

        /// <summary>
        /// True when the current runspace's type table gives instances of <paramref name="cimClass"/> their default
        /// display property set (registering it on the first instance); false when the instance must carry its own.
        /// </summary>
        public static bool Covers(CimLiteClass cimClass, Memo? memo)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || s_setMemberName == null) return false;
            if (memo != null && ReferenceEquals(memo.Runspace, runspace) && ReferenceEquals(memo.Class, cimClass) && !memo.State!.Off) return memo.Covered;
            var state = s_states.GetValue(runspace, _ => new RunspaceState());
            bool covered, known = true;
            lock (state)
            {
                if (state.Off) covered = false;
                else if (state.Decided.TryGetValue(cimClass, out var answer)) covered = ReferenceEquals(answer, s_covered);
                else
                {
                    var decided = Decide(state, cimClass);
                    covered = decided == true;
                    known = decided.HasValue;
                    if (known && !state.Off) state.Decided.Add(cimClass, covered ? s_covered : s_notCovered);
                }
            }
            if (memo != null && known)
            {
                memo.Runspace = runspace;
                memo.Class = cimClass;
                memo.Covered = covered;
                memo.State = state;
            }
            return covered;
        }

        private static bool? Decide(RunspaceState state, CimLiteClass cimClass)
        {
            // Deciding may run nested commands: only on a thread running this runspace's pipeline (never one that would
            // start a pipeline of its own on an idle runspace, such as a job's thread). Elsewhere: undecided (null).
            var availability = Runspace.DefaultRunspace!.RunspaceAvailability;
            if (availability != RunspaceAvailability.Busy && availability != RunspaceAvailability.AvailableForNestedCommand) return null;
            var typeNames = CimLiteInstanceAdapter.TypeNamesOf(cimClass);
            // Registered under the second name, CimLite.CimLiteInstance#Class: type data a user gives the first (most
            // specific) name, CimLite.CimLiteInstance#ns/Class, still wins, and Update-TypeData on it needs no -Force.
            var own = typeNames[1];
            var display = InstanceOutput.DefaultDisplayProperties(cimClass).ToArray();
            if (state.Registered.TryGetValue(own, out var registered))
            {
                if (SameNames(registered, display)) return true;
                TurnOff(state);
                return false;
            }
            try
            {
                // Type data from anyone else on any of the class's type names: leave the type table alone.
                var others = new List<string>();
                foreach (var name in typeNames)
                    if (!state.Registered.ContainsKey(name)) others.Add(WildcardPattern.Escape(name));
                foreach (var found in Invoke("Get-TypeData", ps => ps.AddParameter("TypeName", others.ToArray())))
                {
                    if (!(found?.BaseObject is TypeData data)) continue;
                    if (string.Equals(data.TypeName, own, StringComparison.OrdinalIgnoreCase) || HasStandardMembers(data)) return false;
                }
                // PSStandardMembers as a member set of its own (not -DefaultDisplayPropertySet, whose set is hidden): shown
                // by Get-Member as the instance member was.
                var typeData = new TypeData(own);
                var set = new PropertySetData(display);
                s_setMemberName!.Invoke(set, new object[] { "DefaultDisplayPropertySet" });
                var standard = new MemberSetData("PSStandardMembers", new Collection<TypeMemberData> { set }) { IsHidden = false };
                typeData.Members.Add(standard.Name, standard);
                Invoke("Update-TypeData", ps => ps.AddParameter("TypeData", new[] { typeData }));
                state.Registered[own] = display;
                return true;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // A type table that cannot be changed (shared, restricted runspace), or a thread that cannot run a
                // nested command: this class's instances carry their own member.
                return false;
            }
        }

        private static void TurnOff(RunspaceState state)
        {
            state.Off = true;
            if (state.Registered.Count == 0) return;
            var names = new List<string>(state.Registered.Keys);
            state.Registered.Clear();
            try
            {
                foreach (var name in names) Invoke("Remove-TypeData", ps => ps.AddParameter("TypeName", name));
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Nothing more to do: the instances written from now on carry their own member either way.
            }
        }

        private static Collection<PSObject> Invoke(string command, Action<PowerShell> parameters)
        {
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Microsoft.PowerShell.Utility\\" + command);
                parameters(ps);
                var result = ps.Invoke();
                if (ps.HadErrors)
                {
                    var error = ps.Streams.Error.Count > 0 ? ps.Streams.Error[0].Exception : null;
                    throw new InvalidOperationException(command + " failed", error);
                }
                return result;
            }
        }

        private static bool HasStandardMembers(TypeData data) =>
            data.DefaultDisplayPropertySet != null || data.DefaultDisplayProperty != null || data.DefaultKeyPropertySet != null ||
            data.PropertySerializationSet != null || data.SerializationMethod != null || data.SerializationDepth != 0 ||
            data.StringSerializationSource != null || data.TargetTypeForDeserialization != null || data.Members.ContainsKey("PSStandardMembers");

        private static bool SameNames(string[] a, string[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
            return true;
        }
    }
}
