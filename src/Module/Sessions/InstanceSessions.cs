using System.Runtime.CompilerServices;

namespace CimLite.Sessions
{
    /// <summary>
    /// Which session produced an instance that went down the pipeline (Get, New, Set -PassThru, queries, jobs, posted
    /// snapshots), as CimCmdlets' instances remember theirs: Set-, Get- and Remove-CimLiteInstance given such an
    /// instance without -Session act on that session, never on the default repository. Weak: the table keeps no
    /// instance or session alive. Instances built with -ClientOnly are not in it.
    /// </summary>
    internal static class InstanceSessions
    {
        private static readonly ConditionalWeakTable<CimLiteInstance, CimLiteSession> Origins = new ConditionalWeakTable<CimLiteInstance, CimLiteSession>();

        public static void Remember(CimLiteInstance instance, CimLiteSession session)
        {
            // Most instances are new here (just read or made): a lock-free look first, Remove (which locks) only when needed.
            if (Origins.TryGetValue(instance, out var known))
            {
                if (ReferenceEquals(known, session)) return;
                Origins.Remove(instance);
            }
            Origins.Add(instance, session);
        }

        public static CimLiteSession? Of(CimLiteInstance instance) => Origins.TryGetValue(instance, out var session) ? session : null;
    }
}
