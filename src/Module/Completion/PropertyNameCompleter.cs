using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CimLite.Completion
{
    /// <summary>
    /// Completes property names of the class named by -ClassName (or of -InputObject's class): for -Property
    /// every property, for -Key the key properties. PowerShell calls it for a bare word and for a key typed
    /// inside the hashtable literal given to the parameter.
    /// </summary>
    public sealed class PropertyNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                CimLiteClass? cimClass = null;
                if (CompletionSession.Unwrap(fakeBoundParameters?["InputObject"]) is CimLiteInstance instance)
                    cimClass = instance.Class;
                else if (CompletionSession.Unwrap(fakeBoundParameters?["ClassName"]) is string className)
                {
                    var session = CompletionSession.Resolve(fakeBoundParameters);
                    if (session == null) return results;
                    lock (session) cimClass = session.FindClass(className, CompletionSession.Namespace(fakeBoundParameters));
                }
                if (cimClass == null) return results;
                bool keysOnly = string.Equals(parameterName, "Key", StringComparison.OrdinalIgnoreCase);
                var prefix = CompletionSession.Prefix(wordToComplete, out var quote);
                var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
                foreach (var p in cimClass.Properties)
                {
                    if (keysOnly && !p.IsKey) continue;
                    if (!pattern.IsMatch(p.Name)) continue;
                    results.Add(new CompletionResult(CompletionSession.Quote(p.Name, quote), p.Name, CompletionResultType.Property, p.Name + " (" + p.TypeName + (p.IsKey ? ", key" : "") + ")"));
                }
            }
            catch (Exception)
            {
                // A completer must never throw.
            }
            return results;
        }
    }
}
