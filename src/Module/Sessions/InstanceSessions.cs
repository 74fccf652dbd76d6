using System;
using System.Runtime.CompilerServices;

namespace CimLite.Sessions
{
    /// <summary>
    /// Which session produced an instance that went down the pipeline (Get, New, Set -PassThru, queries, jobs, posted
    /// snapshots), as CimCmdlets' instances remember theirs: Set-, Get- and Remove-CimLiteInstance given such an
    /// instance without -Session act on that session, never on the default repository. Weak: nothing here keeps an
    /// instance or a session alive. Instances built with -ClientOnly, and copies (Clone), have none.
    /// </summary>
    /// <remarks>
    /// The note is kept on the instance itself (<see cref="CimLiteInstance.HostNote"/>): one <see cref="Origin"/> per
    /// session, holding it weakly, shared by all its instances. A weak table keyed by instance (as before issue 17)
    /// cost a dependent GC handle per instance written, which every collection has to scan: as much as reading the
    /// instance (docs/ARCHITECTURE.md, performance notes).
    /// </remarks>
    internal static class InstanceSessions
    {
        private sealed class Origin
        {
            public Origin(CimLiteSession session) { Session = new WeakReference<CimLiteSession>(session); }

            public WeakReference<CimLiteSession> Session { get; }
        }

        private static readonly ConditionalWeakTable<CimLiteSession, Origin> Origins = new ConditionalWeakTable<CimLiteSession, Origin>();
        private static readonly ConditionalWeakTable<CimLiteSession, Origin>.CreateValueCallback NewOrigin = s => new Origin(s);

        public static void Remember(CimLiteInstance instance, CimLiteSession session) => instance.HostNote = Origins.GetValue(session, NewOrigin);

        public static CimLiteSession? Of(CimLiteInstance instance) =>
            instance.HostNote is Origin origin && origin.Session.TryGetTarget(out var session) ? session : null;
    }
}
