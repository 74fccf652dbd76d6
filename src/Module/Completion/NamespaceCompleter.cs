using System;
using System.Collections;
using System.Collections.Generic;
using CimLite.Sessions;

namespace CimLite.Completion
{
    /// <summary>Completes -Namespace with the namespaces of the session's repository.</summary>
    public sealed class NamespaceCompleter : CimLiteCompleter
    {
        /// <inheritdoc />
        protected override string NormalizePrefix(string prefix) => prefix.Replace('\\', '/');

        /// <inheritdoc />
        protected override IEnumerable<Candidate> Candidates(string parameterName, IDictionary fakeBoundParameters)
        {
            var session = CompletionSession.Resolve(fakeBoundParameters);
            if (session == null) yield break;
            List<string> namespaces;
            lock (SessionGate.Of(session)) namespaces = new List<string>(session.GetNamespaces());
            namespaces.Sort(StringComparer.OrdinalIgnoreCase);
            foreach (var ns in namespaces) yield return new Candidate(ns, ns);
        }
    }
}
