using System.Runtime.CompilerServices;

namespace CimLite.Sessions
{
    /// <summary>
    /// The lock each session owns in the module: the module serialises its use of one session's SQLite connection
    /// (the pipeline, a -AsJob job on a pool thread, tab completion) on this gate, never on the public session
    /// object, which a script could lock too. One gate per session, made on first use and kept no longer than the
    /// session (weak). <see cref="System.Threading.Monitor"/> is reentrant, so a call already holding the gate may
    /// take it again on the same thread.
    /// </summary>
    internal static class SessionGate
    {
        private static readonly ConditionalWeakTable<CimLiteSession, object> Gates = new ConditionalWeakTable<CimLiteSession, object>();
        private static readonly ConditionalWeakTable<CimLiteSession, object>.CreateValueCallback NewGate = _ => new object();

        /// <summary>The gate of <paramref name="session"/>: <c>lock (SessionGate.Of(session)) { … }</c>.</summary>
        public static object Of(CimLiteSession session) => Gates.GetValue(session, NewGate);
    }
}
