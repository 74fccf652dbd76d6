using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CimLite.Completion
{
    /// <summary>Completes -ClassName with the classes of the session's repository (in -Namespace when given).</summary>
    public sealed class ClassNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var session = CompletionSession.Resolve(fakeBoundParameters);
                if (session == null) return results;
                var prefix = CompletionSession.Prefix(wordToComplete, out var quote);
                var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
                IReadOnlyList<CimLiteClass> classes;
                lock (session) classes = session.GetClasses(CompletionSession.Namespace(fakeBoundParameters), useAmendedQualifiers: false);
                var names = new List<CimLiteClass>(classes);
                names.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.ClassName, b.ClassName));
                foreach (var c in names)
                {
                    if (!pattern.IsMatch(c.ClassName)) continue;
                    var tip = c.Superclass == null ? c.ClassName : c.ClassName + " : " + c.Superclass;
                    results.Add(new CompletionResult(CompletionSession.Quote(c.ClassName, quote), c.ClassName, CompletionResultType.ParameterValue, tip));
                }
            }
            catch (Exception)
            {
                // A completer must never throw: no session, a closed or busy repository, a bad namespace all mean "no suggestions".
            }
            return results;
        }
    }
}
