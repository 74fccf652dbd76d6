using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CimLite.Errors;

namespace CimLite.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes CimCmdlets calls (Get-CimInstance, Set-CimInstance, New-CimInstance, Remove-CimInstance,
    /// Invoke-CimMethod, Get-CimAssociatedInstance) go to a CimLite session.</para>
    /// <para type="description">Defines six global functions named after the CimCmdlets cmdlets that take the same
    /// parameters and forward the call to the CimLite cmdlet on the given session; -Remove takes them away again.</para>
    /// </summary>
    [Cmdlet(VerbsOther.Use, "CimLiteForCimCmdlets", DefaultParameterSetName = nameof(Sets.Use))]
    [OutputType(typeof(FunctionInfo))]
    public sealed class UseCimLiteForCimCmdletsCommand : CimLiteCmdlet
    {
        private enum Sets { Use, Remove }

        /// <summary>The names of the functions the stand-in defines, in the order they are defined.</summary>
        internal static readonly string[] FunctionNames =
        {
            "Get-CimInstance", "Set-CimInstance", "New-CimInstance", "Remove-CimInstance", "Invoke-CimMethod", "Get-CimAssociatedInstance",
        };

        /// <summary>The text every stand-in function carries, by which -Remove and a second call recognise them.</summary>
        internal const string Marker = "# CimLite stand-in for ";

        /// <summary>Removes the stand-in functions (only those this command defined).</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Remove))]
        public SwitchParameter Remove { get; set; }

        /// <summary>Replaces global functions of those names that are not CimLite's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.Use))]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the functions defined.</summary>
        [Parameter(ParameterSetName = nameof(Sets.Use))]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (Remove)
            {
                foreach (var name in FunctionNames)
                    // Removes the first function of that name up the caller's scopes (the global one unless shadowed).
                    while (IsStandIn(VisibleFunction(name))) InvokeCommand.InvokeScript("Remove-Item -LiteralPath ('function:' + $args[0])", false, PipelineResultTypes.None, null, name);
                return;
            }

            var session = ResolvedSession;
            var factory = InvokeCommand.NewScriptBlock(LoadScript());
            var messages = new Hashtable { ["ParameterNotSupported"] = Strings.StandInParameterNotSupportedFormat };
            var functions = (IDictionary)factory.Invoke(session, messages)[0].BaseObject;
            foreach (var name in FunctionNames)
            {
                var existing = VisibleFunction(name);
                if (existing != null && !IsStandIn(existing) && !Force)
                {
                    WriteError(ErrorRecordFactory.Create(new CimLiteException(CimStatus.AlreadyExists, Strings.StandInFunctionExists(name)), name));
                    continue;
                }
                InvokeCommand.InvokeScript("Set-Item -LiteralPath ('function:global:' + $args[0]) -Value $args[1]", false, PipelineResultTypes.None, null, name, functions[name]);
                if (PassThru) WriteObject(VisibleFunction(name));
            }
        }

        // The function of that name the caller sees (the function provider reads no scope qualifier: function:global:X
        // only works for Set-Item).
        private FunctionInfo? VisibleFunction(string name)
        {
            foreach (var o in InvokeCommand.InvokeScript("Get-Item -LiteralPath ('function:' + $args[0]) -ErrorAction Ignore", false, PipelineResultTypes.None, null, name))
                if (o?.BaseObject is FunctionInfo f) return f;
            return null;
        }

        private static bool IsStandIn(FunctionInfo? function) => function != null && function.Definition.IndexOf(Marker, StringComparison.Ordinal) >= 0;

        private static string LoadScript()
        {
            using var stream = typeof(UseCimLiteForCimCmdletsCommand).Assembly.GetManifestResourceStream("CimLite.CimCmdletsStandIn.ps1")
                ?? throw new InvalidOperationException("The module lacks its CimCmdletsStandIn.ps1 resource.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
