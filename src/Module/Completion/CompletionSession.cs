using System.Collections;
using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Completion
{
    /// <summary>
    /// The session and namespace a completer reads from: -Session and -Namespace as typed so far, else the
    /// default session, but only when its repository file exists or, for a server, when it is open already (completing
    /// must never create a repository).
    /// </summary>
    internal static class CompletionSession
    {
        public static CimLiteSession? Resolve(IDictionary? fakeBoundParameters)
        {
            if (Unwrap(fakeBoundParameters?["Session"]) is CimLiteSession explicitSession)
                return explicitSession.IsClosed ? null : explicitSession;
            return SessionRegistry.DefaultForCompletion();
        }

        public static string? Namespace(IDictionary? fakeBoundParameters) => Unwrap(fakeBoundParameters?["Namespace"]) as string;

        public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        /// <summary>The word without the quotes the user may have opened, and the quote to put back.</summary>
        public static string Prefix(string? wordToComplete, out string quote)
        {
            var word = wordToComplete ?? "";
            quote = word.Length > 0 && (word[0] == '\'' || word[0] == '"') ? word.Substring(0, 1) : "";
            return word.Trim('\'', '"');
        }

        public static string Quote(string text, string quote) =>
            quote.Length > 0 ? quote + text + quote : text.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',' }) >= 0 ? "'" + text.Replace("'", "''") + "'" : text;
    }
}
