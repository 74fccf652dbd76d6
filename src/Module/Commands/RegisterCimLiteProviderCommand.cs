using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Registers a provider for a class in a session: PowerShell scriptblocks or a .NET type implementing
    /// ICimLiteProvider. Registrations live in the session only, never in the repository file.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "CimLiteProvider", SupportsShouldProcess = true, DefaultParameterSetName = nameof(Sets.ScriptBlock))]
    [OutputType(typeof(ProviderRegistry.Registration))]
    public sealed class RegisterCimLiteProviderCommand : CimLiteCmdlet
    {
        private enum Sets { ScriptBlock, Type }

        /// <summary>The class the provider serves.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>The namespace; default: the session's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Called for puts: param($Context, $Instance). Throw to refuse.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? Put { get; set; }

        /// <summary>Called for gets: param($Context, $Instance) with the key-only instance; post the answer with $Context.PostInstance.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? Get { get; set; }

        /// <summary>Called for enumerations: param($Context); post each instance with $Context.PostInstance.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? Enumerate { get; set; }

        /// <summary>Called for deletes: param($Context, $Instance) with the key-only instance. Throw to refuse.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? Delete { get; set; }

        /// <summary>Method handlers: name = { param($Context, $Instance, $Arguments) … return @{ ReturnValue = 0; OutName = … } }.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public System.Collections.IDictionary? Method { get; set; }

        /// <summary>
        /// For an association class: called for ASSOCIATORS OF and Get-CimLiteAssociatedInstance, param($Context, $Instance,
        /// $AssocClass, $ResultClass, $Role, $ResultRole); post the instances at the other ends with $Context.PostInstance.
        /// </summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? Associators { get; set; }

        /// <summary>
        /// For an association class: called for REFERENCES OF, param($Context, $Instance, $AssocClass, $ResultClass, $Role,
        /// $ResultRole); post the association instances that refer to $Instance.
        /// </summary>
        [Parameter(ParameterSetName = nameof(Sets.ScriptBlock))]
        public ScriptBlock? References { get; set; }

        /// <summary>A .NET type implementing CimLite.ICimLiteInstanceProvider or CimLite.ICimLiteProvider, with a public parameterless constructor.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Type))]
        [ValidateNotNull]
        public Type? Type { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var session = ResolvedSession;
            object provider;
            if (ParameterSetName == nameof(Sets.Type))
            {
                if (!ProviderRegistry.HasCapability(Type!) || Type!.IsAbstract || Type.GetConstructor(System.Type.EmptyTypes) == null)
                {
                    ThrowTerminatingError(Errors.ErrorRecordFactory.InvalidArgument(Strings.NotAProviderType(Type?.FullName ?? "?"), "CimLite.NotAProviderType", Type));
                    return;
                }
                provider = Activator.CreateInstance(Type)!;
            }
            else
            {
                var methods = new System.Collections.Generic.Dictionary<string, ScriptBlock>(StringComparer.OrdinalIgnoreCase);
                if (Method != null)
                {
                    foreach (System.Collections.DictionaryEntry e in Method)
                    {
                        var name = ParameterValues.Unwrap(e.Key)?.ToString() ?? "";
                        if (!(ParameterValues.Unwrap(e.Value) is ScriptBlock block) || name.Length == 0)
                        {
                            ThrowTerminatingError(Errors.ErrorRecordFactory.InvalidArgument(Strings.MethodHandlerNotScriptBlock(name), "CimLite.MethodHandlerNotScriptBlock", e.Value));
                            return;
                        }
                        methods[name] = block;
                    }
                }
                if (Put == null && Get == null && Enumerate == null && Delete == null && Associators == null && References == null && methods.Count == 0)
                {
                    ThrowTerminatingError(Errors.ErrorRecordFactory.InvalidArgument(Strings.ProviderNeedsHandler, "CimLite.ProviderNeedsHandler", ClassName));
                    return;
                }
                var modulePath = MyInvocation.MyCommand.Module?.Path;
                if (modulePath != null && modulePath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    var manifest = System.IO.Path.ChangeExtension(modulePath, ".psd1");
                    if (System.IO.File.Exists(manifest)) modulePath = manifest;
                }
                provider = new ScriptBlockProvider(session, Put, Get, Enumerate, Delete, Runspace.DefaultRunspace, modulePath, SessionState.LanguageMode, methods, Associators, References);
            }
            var target = (Namespace ?? session.DefaultNamespace) + ":" + ClassName;
            if (!ShouldProcess(target, Strings.RegisterProviderAction)) return;
            ForItem(ClassName, () =>
            {
                lock (SessionGate.Of(session)) WriteObject(session.Providers.Register(ClassName, provider, Namespace));
            });
        }
    }
}
