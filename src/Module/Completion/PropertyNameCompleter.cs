using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Completion
{
    /// <summary>
    /// Completes property names of the class named by -ClassName (or of -InputObject's class): for -Property
    /// every property, for -Key the key properties. PowerShell calls it for a bare word typed for the parameter
    /// (not for keys inside a hashtable literal: PowerShell does not ask argument completers there).
    /// </summary>
    public sealed class PropertyNameCompleter : CimLiteCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<Candidate> Candidates(string parameterName, IDictionary fakeBoundParameters)
        {
            CimLiteClass? cimClass = null;
            if (CompletionSession.Unwrap(fakeBoundParameters?["InputObject"]) is CimLiteInstance instance)
                cimClass = instance.Class;
            else if (CompletionSession.Unwrap(fakeBoundParameters?["ClassName"]) is string className)
            {
                var session = CompletionSession.Resolve(fakeBoundParameters);
                if (session == null) yield break;
                lock (SessionGate.Of(session)) cimClass = session.FindClass(className, CompletionSession.Namespace(fakeBoundParameters));
            }
            if (cimClass == null) yield break;
            bool keysOnly = string.Equals(parameterName, "Key", StringComparison.OrdinalIgnoreCase);
            foreach (var p in cimClass.Properties)
                if (!keysOnly || p.IsKey)
                    yield return new Candidate(p.Name, p.Name + " (" + p.TypeName + (p.IsKey ? ", key" : "") + ")", CompletionResultType.Property);
        }
    }
}
