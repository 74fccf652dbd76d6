using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace CimLite.Shell.Host
{
    /// <summary>Console I/O for the host: output to stdout, errors to stderr, input from stdin.</summary>
    internal sealed class CimLiteHostUserInterface : PSHostUserInterface
    {
        private readonly CimLiteRawUserInterface rawUI = new CimLiteRawUserInterface();
        private readonly object gate = new object();

        public override PSHostRawUserInterface RawUI => rawUI;

        /// <summary>Escape sequences only for a terminal, and not when NO_COLOR is set.</summary>
        public override bool SupportsVirtualTerminal { get; } =
            !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

        public override void Write(string value)
        {
            lock (gate)
            {
                Console.Out.Write(GetOutputString(value, SupportsVirtualTerminal));
            }
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

        public override void WriteLine(string value)
        {
            lock (gate)
            {
                Console.Out.WriteLine(GetOutputString(value, SupportsVirtualTerminal));
            }
        }

        public override void WriteErrorLine(string value)
        {
            lock (gate)
            {
                Console.Out.Flush();
                Console.Error.WriteLine(GetOutputString(value, SupportsVirtualTerminal && !Console.IsErrorRedirected));
            }
        }

        public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            // Progress bars make no sense in a pipe; a console user gets one line per completed activity.
            if (record.RecordType == ProgressRecordType.Completed || Console.IsOutputRedirected)
            {
                return;
            }

            lock (gate)
            {
                Console.Error.WriteLine(record.Activity + ": " + record.StatusDescription + (record.PercentComplete >= 0 ? " (" + record.PercentComplete + "%)" : string.Empty));
            }
        }

        public override void WriteInformation(InformationRecord record)
        {
            // Write-Host is not in the engine package, but the host-facing form may still arrive.
            if (record.Tags.Contains("PSHOST"))
            {
                WriteLine(record.MessageData?.ToString() ?? string.Empty);
            }
        }

        public override string ReadLine() => Console.In.ReadLine() ?? string.Empty;

        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (char c in ReadLine())
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            WriteCaption(caption, message);
            var results = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
            foreach (FieldDescription field in descriptions)
            {
                string label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty);
                Write(label + ": ");
                Type? target = Type.GetType(field.ParameterAssemblyFullName ?? string.Empty, throwOnError: false);
                if (target == typeof(SecureString))
                {
                    results[field.Name] = PSObject.AsPSObject(ReadLineAsSecureString());
                    continue;
                }

                string text = ReadLine();
                if (text.Length == 0 && field.DefaultValue != null)
                {
                    results[field.Name] = field.DefaultValue;
                    continue;
                }

                object value = target == null || target == typeof(string) || target.IsArray
                    ? text
                    : LanguagePrimitives.ConvertTo(text, target, CultureInfo.InvariantCulture);
                results[field.Name] = PSObject.AsPSObject(value);
            }

            return results;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            WriteCaption(caption, message);
            while (true)
            {
                for (int i = 0; i < choices.Count; i++)
                {
                    string marker = i == defaultChoice ? "*" : " ";
                    WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}[{1}] {2}{3}", marker, HotKey(choices[i].Label), choices[i].Label.Replace("&", string.Empty), string.IsNullOrEmpty(choices[i].HelpMessage) ? string.Empty : " - " + choices[i].HelpMessage));
                }

                Write("Choice: ");
                string? answer = Console.In.ReadLine();
                if (answer == null)
                {
                    // End of input: the only sensible answer is the default, if there is one.
                    if (defaultChoice >= 0)
                    {
                        return defaultChoice;
                    }

                    throw new PSInvalidOperationException("No input is available to answer the prompt.");
                }

                answer = answer.Trim();
                if (answer.Length == 0 && defaultChoice >= 0)
                {
                    return defaultChoice;
                }

                for (int i = 0; i < choices.Count; i++)
                {
                    if (string.Equals(answer, HotKey(choices[i].Label), StringComparison.OrdinalIgnoreCase)
                        || string.Equals(answer, choices[i].Label.Replace("&", string.Empty), StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }

                if (int.TryParse(answer, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < choices.Count)
                {
                    return index;
                }

                WriteErrorLine("Invalid choice: " + answer);
            }
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("cimlite cannot prompt for credentials; pass a PSCredential instead.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("cimlite cannot prompt for credentials; pass a PSCredential instead.");

        private void WriteCaption(string caption, string message)
        {
            if (!string.IsNullOrEmpty(caption))
            {
                WriteLine(caption);
            }

            if (!string.IsNullOrEmpty(message))
            {
                WriteLine(message);
            }
        }

        private static string HotKey(string label)
        {
            int amp = label.IndexOf('&');
            if (amp >= 0 && amp + 1 < label.Length)
            {
                return label.Substring(amp + 1, 1).ToUpperInvariant();
            }

            return label.Length > 0 ? label.Substring(0, 1).ToUpperInvariant() : "?";
        }
    }
}
