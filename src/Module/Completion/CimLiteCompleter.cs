using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CimLite.Completion
{
    /// <summary>
    /// The shared shape of CimLite's argument completers: candidates from the repository, filtered by what was
    /// typed (case-insensitively, quotes kept), and never an exception: no session, a closed or busy repository
    /// or a bad namespace all mean "no suggestions".
    /// </summary>
    public abstract class CimLiteCompleter : IArgumentCompleter
    {
        /// <summary>A candidate: the text to complete, its tooltip and its kind.</summary>
        protected readonly struct Candidate
        {
            /// <summary>Creates a candidate.</summary>
            public Candidate(string text, string toolTip, CompletionResultType type = CompletionResultType.ParameterValue)
            {
                Text = text;
                ToolTip = toolTip;
                Type = type;
            }

            /// <summary>The completion text (unquoted).</summary>
            public string Text { get; }

            /// <summary>The tooltip.</summary>
            public string ToolTip { get; }

            /// <summary>The kind of result.</summary>
            public CompletionResultType Type { get; }
        }

        /// <summary>The candidates for a parameter, in the order to offer them.</summary>
        protected abstract IEnumerable<Candidate> Candidates(string parameterName, IDictionary fakeBoundParameters);

        /// <summary>Normalises what was typed before matching (e.g. namespace separators).</summary>
        protected virtual string NormalizePrefix(string prefix) => prefix;

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var prefix = NormalizePrefix(CompletionSession.Prefix(wordToComplete, out var quote));
                var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
                foreach (var candidate in Candidates(parameterName, fakeBoundParameters))
                    if (pattern.IsMatch(candidate.Text))
                        results.Add(new CompletionResult(CompletionSession.Quote(candidate.Text, quote), candidate.Text, candidate.Type, candidate.ToolTip));
            }
            catch (Exception)
            {
                // A completer must never throw.
            }
            return results;
        }
    }
}
