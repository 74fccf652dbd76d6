using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CimLite.Hosting
{
    /// <summary>
    /// A provider made of PowerShell scriptblocks (Register-CimLiteProvider -Put/-Get/-Enumerate/-Delete). Handlers
    /// are called with named parameters: <c>-Context</c> (an <see cref="ICimLiteContext"/>) and, except for
    /// Enumerate, <c>-Instance</c> (the instance to put, or the key-only instance to get or delete).
    /// </summary>
    /// <remarks>
    /// A scriptblock belongs to the runspace it was created in. On that runspace's pipeline thread (every
    /// synchronous cmdlet call) a handler runs right there, seeing the caller's variables and streams. Anywhere
    /// else (a -AsJob call on a pool thread) it runs in a runspace of its own, created on first need with CimLite
    /// imported: the handler is re-created from its text there, so it sees no caller variables; its verbose,
    /// warning and debug output become provider messages. Handlers run with $ErrorActionPreference = 'Stop':
    /// any error fails the operation. Use <c>$Context.NewInstance('Class', @{…})</c> to build instances without
    /// needing a session variable of the caller. That runspace runs in the language mode of the runspace that
    /// registered the provider (ConstrainedLanguage stays ConstrainedLanguage): a handler never runs in a more
    /// permissive mode than the code that wrote it.
    /// </remarks>
    public sealed class ScriptBlockProvider : ICimLiteInstanceProvider, IDisposable, ICimLiteMethodProvider, ICimLiteInstanceCapabilities, ICimLiteAssociationProvider
    {
        // Any error in a handler fails the operation, as a throw does: a provider must not half-succeed.
        private const string Dispatch = "param($__cimliteHandler, $__cimliteContext, $__cimliteInstance) $ErrorActionPreference = 'Stop'; " +
            "if ($null -eq $__cimliteInstance) { & $__cimliteHandler -Context $__cimliteContext } " +
            "else { & $__cimliteHandler -Context $__cimliteContext -Instance $__cimliteInstance }";

        // A method handler: param($Context, $Instance, $Arguments); its last output is the result.
        private const string MethodDispatch = "param($__cimliteHandler, $__cimliteContext, $__cimliteInstance, $__cimliteArguments) $ErrorActionPreference = 'Stop'; " +
            "& $__cimliteHandler -Context $__cimliteContext -Instance $__cimliteInstance -Arguments $__cimliteArguments";

        // An association handler: param($Context, $Instance, $AssocClass, $ResultClass, $Role, $ResultRole), the filters splatted.
        private const string AssociationDispatch = "param($__cimliteHandler, $__cimliteContext, $__cimliteInstance, $__cimliteFilters) $ErrorActionPreference = 'Stop'; " +
            "& $__cimliteHandler -Context $__cimliteContext -Instance $__cimliteInstance @__cimliteFilters";

        private readonly CimLiteSession _session;
        private readonly Runspace? _owner;
        private readonly string? _modulePath;
        private readonly PSLanguageMode _languageMode;
        private readonly object _gate = new object();
        private Runspace? _own;

        internal ScriptBlockProvider(CimLiteSession session, ScriptBlock? put, ScriptBlock? get, ScriptBlock? enumerate, ScriptBlock? delete, Runspace? owner, string? modulePath, PSLanguageMode languageMode,
            IReadOnlyDictionary<string, ScriptBlock>? methods = null, ScriptBlock? associators = null, ScriptBlock? references = null)
        {
            Associators = associators;
            References = references;
            Methods = methods ?? new Dictionary<string, ScriptBlock>();
            _languageMode = languageMode;
            _session = session;
            Put = put;
            Get = get;
            Enumerate = enumerate;
            Delete = delete;
            _owner = owner;
            _modulePath = modulePath;
        }

        /// <summary>The -Put handler.</summary>
        public ScriptBlock? Put { get; }

        /// <summary>The -Get handler.</summary>
        public ScriptBlock? Get { get; }

        /// <summary>The -Enumerate handler.</summary>
        public ScriptBlock? Enumerate { get; }

        /// <summary>The -Delete handler.</summary>
        public ScriptBlock? Delete { get; }

        /// <summary>The -Associators handler.</summary>
        public ScriptBlock? Associators { get; }

        /// <summary>The -References handler.</summary>
        public ScriptBlock? References { get; }

        /// <summary>The -Method handlers by method name (case-insensitive).</summary>
        public IReadOnlyDictionary<string, ScriptBlock> Methods { get; }

        /// <summary>False for a provider of -Method handlers only: the repository serves the class's instances.</summary>
        public bool ServesInstances => Put != null || Get != null || Enumerate != null || Delete != null;

        /// <summary>True with a -Get or -Enumerate handler: the instances its -Put accepts are then not stored.</summary>
        public bool ServesInstanceReads => Get != null || Enumerate != null;

        /// <inheritdoc />
        /// <remarks>
        /// The handler is called with -Context, -Instance (the stored instance, null for a static call) and -Arguments
        /// (a read-only dictionary of the converted In values). Its last output is the result: a hashtable of ReturnValue
        /// and Out values, or just the return value.
        /// </remarks>
        public object? InvokeMethod(ICimLiteContext context, InvokeMethodRequest request)
        {
            if (!Methods.TryGetValue(request.MethodName, out var handler)) throw request.NotHandled();
            var wrapped = new ScriptBlockProviderContext(context, null);
            System.Collections.ObjectModel.Collection<PSObject> output;
            try
            {
                if (_owner != null && ReferenceEquals(Runspace.DefaultRunspace, _owner))
                    output = ScriptBlock.Create(MethodDispatch).Invoke(handler, wrapped, request.Instance, request.Arguments);
                else
                    output = InvokeInOwnRunspace(MethodDispatch, handler, wrapped, request.Instance, request.Arguments);
            }
            catch (RuntimeException e)
            {
                for (Exception? inner = e; inner != null; inner = inner.InnerException)
                    if (inner is CimLiteException cimError) throw cimError;
                throw;
            }
            PSObject? last = null;
            foreach (var o in output) if (o != null) last = o;
            if (last == null) return null;
            var value = last.BaseObject;
            if (value is PSCustomObject)
            {
                // [pscustomobject]@{ ReturnValue = 0; Message = '…' } reads as a hashtable of its properties.
                var table = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                foreach (var p in last.Properties) table[p.Name] = p.Value;
                return table;
            }
            return value;
        }

        /// <summary>The operations this provider serves, e.g. <c>Put, Get</c>.</summary>
        public string Operations
        {
            get
            {
                var list = new List<string>();
                if (Put != null) list.Add("Put");
                if (Get != null) list.Add("Get");
                if (Enumerate != null) list.Add("Enumerate");
                if (Delete != null) list.Add("Delete");
                if (Associators != null) list.Add("Associators");
                if (References != null) list.Add("References");
                foreach (var m in Methods.Keys) list.Add("Method " + m);
                return string.Join(", ", list);
            }
        }

        /// <inheritdoc />
        /// <remarks>Without a -Get handler the provider posts nothing: what the repository holds is the answer.</remarks>
        public void GetInstance(ICimLiteContext context, GetInstanceRequest request)
        {
            if (Get != null) Invoke(Get, "GetInstance", new ScriptBlockProviderContext(context, null), _session.CreateKeyInstance(request.Path));
        }

        /// <inheritdoc />
        /// <remarks>Without an -Enumerate handler the provider posts nothing: what the repository holds is the answer.</remarks>
        public void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request)
        {
            if (Enumerate != null) Invoke(Enumerate, "EnumerateInstances", new ScriptBlockProviderContext(context, null), null);
        }

        /// <inheritdoc />
        /// <remarks>
        /// Without an -Associators handler the call is NOT_SUPPORTED, and the engine follows what the class's enumeration
        /// (or the repository) gives instead. The handler posts the instances at the other ends.
        /// </remarks>
        public void AssociatorInstances(ICimLiteContext context, AssociatorInstancesRequest request) =>
            InvokeAssociation(Associators, "AssociatorInstances", context, request.Instance, new System.Collections.Hashtable
            {
                ["AssocClass"] = request.AssocClass, ["ResultClass"] = request.ResultClass, ["Role"] = request.Role, ["ResultRole"] = request.ResultRole,
            });

        /// <inheritdoc />
        /// <remarks>
        /// Without a -References handler the call is NOT_SUPPORTED (the engine then enumerates). The handler gets the same
        /// parameters as -Associators: $ResultClass is the association class filter, $AssocClass and $ResultRole are null.
        /// </remarks>
        public void ReferenceInstances(ICimLiteContext context, ReferenceInstancesRequest request) =>
            InvokeAssociation(References, "ReferenceInstances", context, request.Instance, new System.Collections.Hashtable
            {
                ["AssocClass"] = null, ["ResultClass"] = request.ResultClass, ["Role"] = request.Role, ["ResultRole"] = null,
            });

        private void InvokeAssociation(ScriptBlock? handler, string operation, ICimLiteContext context, CimLiteInstance instance, System.Collections.Hashtable filters)
        {
            if (handler == null)
                throw new CimLiteException(CimStatus.NotSupported, Commands.Strings.ProviderHandlerMissing(context.ClassName, operation), context.ClassName) { MessageNamesClass = true };
            var wrapped = new ScriptBlockProviderContext(context, null);
            try
            {
                if (_owner != null && ReferenceEquals(Runspace.DefaultRunspace, _owner))
                    ScriptBlock.Create(AssociationDispatch).Invoke(handler, wrapped, instance, filters);
                else
                    InvokeInOwnRunspace(AssociationDispatch, handler, wrapped, instance, filters);
            }
            catch (RuntimeException e)
            {
                for (Exception? inner = e; inner != null; inner = inner.InnerException)
                    if (inner is CimLiteException cimError) throw cimError;
                throw;
            }
        }

        /// <inheritdoc />
        public void PutInstance(ICimLiteContext context, PutInstanceRequest request) =>
            Invoke(Put, "PutInstance", new ScriptBlockProviderContext(context, request), request.Instance);

        /// <inheritdoc />
        public void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request) =>
            Invoke(Delete, "DeleteInstance", new ScriptBlockProviderContext(context, null), _session.CreateKeyInstance(request.Path));

        private void Invoke(ScriptBlock? handler, string operation, ICimLiteContext context, CimLiteInstance? instance)
        {
            if (handler == null)
                throw new CimLiteException(CimStatus.NotSupported, Commands.Strings.ProviderHandlerMissing(context.ClassName, operation), context.ClassName) { MessageNamesClass = true };
            try
            {
                if (_owner != null && ReferenceEquals(Runspace.DefaultRunspace, _owner))
                    ScriptBlock.Create(Dispatch).Invoke(handler, context, instance);
                else
                    InvokeInOwnRunspace(Dispatch, handler, context, instance);
            }
            catch (RuntimeException e)
            {
                for (Exception? inner = e; inner != null; inner = inner.InnerException)
                    if (inner is CimLiteException cimError) throw cimError;
                throw;
            }
        }

        private System.Collections.ObjectModel.Collection<PSObject> InvokeInOwnRunspace(string dispatch, ScriptBlock handler, ICimLiteContext context, CimLiteInstance? instance, object? arguments = null)
        {
            lock (_gate)
            {
                if (_own == null)
                {
                    var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                    runspace.Open();
                    if (_modulePath != null)
                    {
                        using (var import = PowerShell.Create())
                        {
                            import.Runspace = runspace;
                            import.AddCommand("Import-Module").AddParameter("Name", _modulePath).Invoke();
                        }
                    }
                    // After the import (a module loads the same in any mode), before any handler text is parsed.
                    runspace.SessionStateProxy.LanguageMode = _languageMode;
                    _own = runspace;
                }
                using (var ps = PowerShell.Create())
                {
                    ps.Runspace = _own;
                    ps.AddScript(dispatch).AddArgument(ScriptBlock.Create(handler.ToString())).AddArgument(context).AddArgument(instance);
                    if (arguments != null) ps.AddArgument(arguments);
                    var output = ps.Invoke();
                    foreach (var v in ps.Streams.Verbose) context.WriteMessage(CimMessageChannel.Verbose, v.Message);
                    foreach (var w in ps.Streams.Warning) context.WriteMessage(CimMessageChannel.Warning, w.Message);
                    foreach (var d in ps.Streams.Debug) context.WriteMessage(CimMessageChannel.Debug, d.Message);
                    foreach (var e in ps.Streams.Error) context.WriteMessage(CimMessageChannel.Warning, e.ToString());
                    return output;
                }
            }
        }

        /// <summary>Closes the provider's own runspace, if it made one.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _own?.Dispose();
                _own = null;
            }
        }
    }

    /// <summary>
    /// The <c>$Context</c> a scriptblock handler receives: the engine's context plus what the handler's request
    /// says, under the names handlers have always used (<see cref="PutMode"/>, <see cref="PropertyList"/>).
    /// </summary>
    public sealed class ScriptBlockProviderContext : ICimLiteContext
    {
        private static readonly IReadOnlyCollection<string> NoProperties = new string[0];
        private readonly ICimLiteContext _inner;

        internal ScriptBlockProviderContext(ICimLiteContext inner, PutInstanceRequest? put)
        {
            _inner = inner;
            PutMode = put?.Mode ?? PutMode.CreateOrUpdate;
            PropertyList = put?.PropertyList ?? NoProperties;
        }

        /// <summary>The put mode (CreateOrUpdate for other operations).</summary>
        public PutMode PutMode { get; }

        /// <summary>The properties of a partial put; empty for a full put and other operations.</summary>
        public IReadOnlyCollection<string> PropertyList { get; }

        /// <inheritdoc />
        public CimOperation Operation => _inner.Operation;

        /// <inheritdoc />
        public string Namespace => _inner.Namespace;

        /// <inheritdoc />
        public string ClassName => _inner.ClassName;

        /// <inheritdoc />
        public bool IsCancelled => _inner.IsCancelled;

        /// <inheritdoc />
        public CimLiteInstance NewInstance(string className, System.Collections.IDictionary? values = null) => _inner.NewInstance(className, values);

        /// <inheritdoc />
        public void PostInstance(CimLiteInstance instance) => _inner.PostInstance(instance);

        /// <inheritdoc />
        public void PostIndication(CimLiteInstance indication) => _inner.PostIndication(indication);

        /// <inheritdoc />
        public void PostError(CimStatus status, string message) => _inner.PostError(status, message);

        /// <inheritdoc />
        public void WriteMessage(CimMessageChannel channel, string message) => _inner.WriteMessage(channel, message);

        /// <inheritdoc />
        public void WriteProgress(string activity, string statusDescription, int percentComplete) => _inner.WriteProgress(activity, statusDescription, percentComplete);

        /// <inheritdoc />
        public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(target, action);

        /// <inheritdoc />
        public bool ShouldContinue(string query, string caption) => _inner.ShouldContinue(query, caption);

        /// <inheritdoc />
        public CimLiteSession LocalSession => _inner.LocalSession;
    }
}
