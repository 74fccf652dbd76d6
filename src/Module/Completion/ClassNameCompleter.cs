using System;
using System.Collections;
using System.Collections.Generic;
using CimLite.Sessions;

namespace CimLite.Completion
{
    /// <summary>Completes -ClassName with the classes of the session's repository (in -Namespace when given).</summary>
    public sealed class ClassNameCompleter : CimLiteCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<Candidate> Candidates(string parameterName, IDictionary fakeBoundParameters)
        {
            var session = CompletionSession.Resolve(fakeBoundParameters);
            if (session == null) yield break;
            List<CimLiteClass> classes;
            lock (SessionGate.Of(session)) classes = new List<CimLiteClass>(session.GetClasses(CompletionSession.Namespace(fakeBoundParameters), useAmendedQualifiers: false));
            classes.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.ClassName, b.ClassName));
            foreach (var c in classes)
                yield return new Candidate(c.ClassName, c.Superclass == null ? c.ClassName : c.ClassName + " : " + c.Superclass);
        }
    }
}
