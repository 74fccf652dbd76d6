using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CimLite.Completion
{
    /// <summary>Completes -Namespace with the namespaces of the session's repository.</summary>
    public sealed class NamespaceCompleter : IArgumentCompleter
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
                var prefix = CompletionSession.Prefix(wordToComplete, out var quote).Replace('\\', '/');
                var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
                IReadOnlyList<string> namespaces;
                lock (session) namespaces = session.GetNamespaces();
                var sorted = new List<string>(namespaces);
                sorted.Sort(StringComparer.OrdinalIgnoreCase);
                foreach (var ns in sorted)
                    if (pattern.IsMatch(ns))
                        results.Add(new CompletionResult(CompletionSession.Quote(ns, quote), ns, CompletionResultType.ParameterValue, ns));
            }
            catch (Exception)
            {
                // A completer must never throw.
            }
            return results;
        }
    }
}
