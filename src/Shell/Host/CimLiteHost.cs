using System;
using System.Globalization;
using System.Management.Automation.Host;
using System.Reflection;

namespace CimLite.Shell.Host
{
    /// <summary>A minimal console PSHost: enough for Out-Default, prompts and <c>exit N</c>.</summary>
    internal sealed class CimLiteHost : PSHost
    {
        private readonly CimLiteHostUserInterface ui = new CimLiteHostUserInterface();
        private readonly CultureInfo culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo uiCulture = CultureInfo.CurrentUICulture;

        public override string Name => "cimlite";

        public override Version Version { get; } = typeof(CimLiteHost).Assembly.GetName().Version ?? new Version(0, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => ui;

        public override CultureInfo CurrentCulture => culture;

        public override CultureInfo CurrentUICulture => uiCulture;

        /// <summary>True once a top-level <c>exit</c> ran.</summary>
        public bool ShouldExit { get; private set; }

        /// <summary>The code passed to the last top-level <c>exit</c>.</summary>
        public int ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode)
        {
            ShouldExit = true;
            ExitCode = exitCode;
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException("cimlite does not support nested prompts.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("cimlite does not support nested prompts.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        internal static string InformationalVersion =>
            typeof(CimLiteHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(CimLiteHost).Assembly.GetName().Version?.ToString()
            ?? "0.0";
    }
}
