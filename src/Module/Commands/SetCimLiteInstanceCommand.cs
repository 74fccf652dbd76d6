using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CimLite.Adapters;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// Puts instances with WMI's PutInstance semantics: create-or-update by default, -CreateOnly or
    /// -UpdateOnly, and partial updates of named properties (-Property with -InputObject, or -Key with -Property).
    /// Pipeline input is put in batches (<see cref="PipelineBatcher{TItem}"/>): outputs (-PassThru) and errors
    /// keep pipeline order, and with -ErrorAction Stop or Inquire every item is put at once.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CimLiteInstance", SupportsShouldProcess = true, DefaultParameterSetName = nameof(Sets.InputObject))]
    [OutputType(typeof(CimLiteInstance), typeof(CimLiteJob))]
    public sealed class SetCimLiteInstanceCommand : CimLiteCmdlet, IDisposable
    {
        private enum Sets { InputObject, ClassName, Query, FilterHashtable }

        /// <summary>The instance to put (a full put), or whose named properties to update with -Property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = nameof(Sets.InputObject))]
        [ValidateNotNull]
        public CimLiteInstance? InputObject { get; set; }

        /// <summary>The class of the instance to put (with -FilterHashtable: whose selected instances to update).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.FilterHashtable))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
        public string ClassName { get; set; } = "";

        /// <summary>
        /// With -ClassName: the property values (keys included) of a full put, or with -Key the properties to update.
        /// With -InputObject, -Query or -FilterHashtable: the properties to update (a partial put of each instance).
        /// </summary>
        [Parameter(Position = 1, ParameterSetName = nameof(Sets.InputObject))]
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Query))]
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.FilterHashtable))]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? Property { get; set; }

        /// <summary>The key values of the instance whose -Property values to update (a partial put).</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? Key { get; set; }

        /// <summary>A WQL query: every instance it selects gets the -Property values (as Set-CimInstance -Query).</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>The query language of -Query: WQL (the only one; anything else is QUERY_LANGUAGE_NOT_SUPPORTED).</summary>
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [ValidateNotNullOrEmpty]
        public string? QueryDialect { get; set; }

        /// <summary>
        /// Equality conditions without quoting selecting the instances of -ClassName to update with -Property: name =
        /// value pairs that must all hold; an array value means any of its values, $null means the property is null.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.FilterHashtable))]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(Completion.PropertyNameCompleter))]
        public IDictionary? FilterHashtable { get; set; }

        /// <summary>
        /// A time limit in seconds for each batch of puts (and, with -Query or -FilterHashtable, for the query selecting
        /// them), waits for other sessions' locks included; 0 (the default): none.
        /// </summary>
        [Parameter]
        [Alias("OT")]
        public uint OperationTimeoutSec { get; set; }

        /// <summary>Accepted for CimCmdlets' calls, refused: CimLite has no remote computers (NOT_SUPPORTED).</summary>
        [Parameter]
        [Alias("CN", "ServerName")]
        public string[]? ComputerName { get; set; }

        /// <summary>Accepted for CimCmdlets' calls, refused: CimLite has no resource URIs (NOT_SUPPORTED).</summary>
        [Parameter]
        public Uri? ResourceUri { get; set; }

        /// <summary>Only create: fail with ALREADY_EXISTS when the instance exists.</summary>
        [Parameter]
        public SwitchParameter CreateOnly { get; set; }

        /// <summary>Only update: fail with NOT_FOUND when the instance does not exist.</summary>
        [Parameter]
        public SwitchParameter UpdateOnly { get; set; }

        /// <summary>In a partial update, a null value sets the property to null instead of leaving it unchanged.</summary>
        [Parameter]
        public SwitchParameter StrictNulls { get; set; }

        /// <summary>Do not store qualifiers with the Amended flavor.</summary>
        [Parameter]
        public SwitchParameter UseAmendedQualifiers { get; set; }

        /// <summary>Write the stored instance, re-read from the repository.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The namespace for -ClassName or -Query; default: the session's.</summary>
        [Parameter(ParameterSetName = nameof(Sets.ClassName))]
        [Parameter(ParameterSetName = nameof(Sets.Query))]
        [Parameter(ParameterSetName = nameof(Sets.FilterHashtable))]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
        public string? Namespace { get; set; }

        /// <summary>Run as a job (semisynchronous): returns a job at once; its output is the written paths (the instances with -PassThru).</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        private PutMode _mode;
        private string _putAction = "";

        // -ClassName with piped hashtables: the class the last instance was made of, so that each record does not look
        // it up again (outside a transaction every lookup reads the stored schema generation: a SQLite read per record).
        // Forgotten at every batch, so a class changed meanwhile is read again within one batch, as queued items always
        // were; a record the cached class refuses is made again with a fresh lookup, so its error is the current one.
        private CimLiteClass? _class;
        private CimLiteSession? _classSession;

        private CimLiteInstance NewFromValues(CimLiteSession session, IDictionary values)
        {
            if (_class != null && ReferenceEquals(_classSession, session))
            {
                try
                {
                    return session.NewInstanceOf(_class, values);
                }
                catch (CimLiteException)
                {
                    _class = null; // perhaps changed since: made again below, as without the cache
                }
            }
            var instance = session.NewInstance(ClassName, values, Namespace);
            _class = instance.Class;
            _classSession = session;
            return instance;
        }
        private readonly List<KeyValuePair<CimLiteSession, KeyValuePair<CimLiteInstance, PutOptions>>> _jobItems = new List<KeyValuePair<CimLiteSession, KeyValuePair<CimLiteInstance, PutOptions>>>();
        private PipelineBatcher<KeyValuePair<CimLiteInstance, PutOptions>>? _batch;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            RefuseUnsupported(nameof(ComputerName), nameof(ResourceUri));
            CheckQueryDialect(QueryDialect);
            if (AsJob && OperationTimeoutSec != 0) ThrowConflictingParameters(nameof(OperationTimeoutSec), nameof(AsJob));
            if (CreateOnly && UpdateOnly) ThrowConflictingParameters(nameof(CreateOnly), nameof(UpdateOnly));
            bool partial = ParameterSetName == nameof(Sets.ClassName) ? Key != null : MyInvocation.BoundParameters.ContainsKey(nameof(Property));
            if (CreateOnly && partial)
                ThrowConflictingParameters(nameof(CreateOnly), ParameterSetName == nameof(Sets.ClassName) ? nameof(Key) : nameof(Property));
            if (StrictNulls && !partial)
                ThrowTerminatingError(Errors.ErrorRecordFactory.InvalidArgument(Strings.StrictNullsNeedsPartial, "CimLite.StrictNullsNeedsPartial", null));
            _mode = CreateOnly ? PutMode.CreateOnly : UpdateOnly ? PutMode.UpdateOnly : PutMode.CreateOrUpdate;
            _putAction = Strings.PutAction(_mode);
            _batch = new PipelineBatcher<KeyValuePair<CimLiteInstance, PutOptions>>(this, PutBatch, Strings.PutActivity, Strings.PutStatus);
        }

        /// <inheritdoc />
        protected override CimLiteInstance? PipedInstance => ParameterSetName == nameof(Sets.InputObject) ? InputObject : null;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var session = ResolvedSession;
            if (ParameterSetName == nameof(Sets.Query) || ParameterSetName == nameof(Sets.FilterHashtable))
            {
                UpdateSelected(session);
                return;
            }
            _recordSession = session;
            ForBatchedItem(_batch!, _recordTarget = (object?)InputObject ?? (object?)Property ?? ClassName, _putRecord ??= PutRecord);
        }

        // The current record's session and error target, for PutRecord (made once as a delegate: no closure per record).
        private CimLiteSession? _recordSession;
        private object? _recordTarget;
        private Action? _putRecord;

        // A whole put's options are the same for every record: one object (a batch sets its sink and deadline before each put).
        private PutOptions? _wholePut;

        /// <summary>One piped record (an instance, or the -Property values of -ClassName): made, confirmed, queued.</summary>
        private void PutRecord()
        {
            var session = _recordSession!;
            CimLiteInstance instance;
            List<string>? propertyList = null;
            if (ParameterSetName == nameof(Sets.InputObject))
            {
                instance = InputObject!;
                if (Property != null)
                {
                    instance = instance.Clone();
                    propertyList = new List<string>();
                    foreach (DictionaryEntry e in ParameterValues.UnwrapValues(Property))
                    {
                        var name = (string)e.Key;
                        if (!instance.HasProperty(name))
                            throw new CimLiteException(CimStatus.NoSuchProperty, Strings.NoSuchProperty(instance.ClassName, name), instance.ClassName, name);
                        instance[name] = e.Value;
                        propertyList.Add(name);
                    }
                }
            }
            else
            {
                // A full put needs no unwrapped copy of the values when the session unwraps every value it is given as the
                // copy would (the module's sessions), or when they are plain already (most piped hashtables): the instance is
                // made from them as they are.
                var values = Key == null && (ParameterValues.IsModuleUnwrapper(session.ValueUnwrapper) || ParameterValues.HasOnlyPlainValues(Property!))
                    ? Property!
                    : ParameterValues.UnwrapValues(Property!);
                if (Key != null)
                {
                    propertyList = new List<string>();
                    foreach (DictionaryEntry e in values) propertyList.Add((string)e.Key);
                    foreach (DictionaryEntry e in ParameterValues.UnwrapValues(Key)) values[e.Key] = e.Value;
                }
                instance = NewFromValues(session, values);
            }
            // The path text only when ShouldProcess can show it (-WhatIf, -Confirm, -Verbose): else it says yes unasked.
            if (!ShouldProcessSaysYesSilently && !ShouldProcess(instance.TryGetPath()?.ToString() ?? instance.ToString(), _putAction)) return;
            var options = propertyList == null && !AsJob
                ? _wholePut ??= new PutOptions { Mode = _mode, StrictNulls = StrictNulls, UseAmendedQualifiers = UseAmendedQualifiers }
                : new PutOptions { Mode = _mode, PropertyList = propertyList, StrictNulls = StrictNulls, UseAmendedQualifiers = UseAmendedQualifiers };
            if (AsJob)
            {
                _jobItems.Add(new KeyValuePair<CimLiteSession, KeyValuePair<CimLiteInstance, PutOptions>>(session, new KeyValuePair<CimLiteInstance, PutOptions>(instance.Clone(), options)));
                return;
            }
            // Batched: puts run in a write batch (a savepoint per item) at the batch size and at the end.
            _batch!.Add(session, new KeyValuePair<CimLiteInstance, PutOptions>(ReferenceEquals(instance, InputObject) ? instance.Clone() : instance, options), _recordTarget);
        }

        /// <summary>
        /// -Query or -ClassName -FilterHashtable with -Property: the selected instances (read fully first) each get a partial
        /// put of the -Property values, through the same batches, ShouldProcess and -PassThru as piped instances.
        /// </summary>
        private void UpdateSelected(CimLiteSession session)
        {
            var selection = new QueryCommands.Selection
            {
                Query = Query, ClassName = ClassName, Equalities = QueryCommands.Equalities(FilterHashtable), Namespace = Namespace,
            };
            List<CimLiteInstance>? found = null;
            ForItem(selection.Target, () => WithinTimeLimit(session, OperationTimeoutSec, _ => found = QueryCommands.Selected(session, selection)));
            if (found == null) return;
            var values = ParameterValues.UnwrapValues(Property!);
            foreach (var selected in found)
            {
                ForBatchedItem(_batch!, selected, () =>
                {
                    var instance = selected.Clone();
                    var propertyList = new List<string>();
                    foreach (DictionaryEntry e in values)
                    {
                        var name = (string)e.Key;
                        if (!instance.HasProperty(name))
                            throw new CimLiteException(CimStatus.NoSuchProperty, Strings.NoSuchProperty(instance.ClassName, name), instance.ClassName, name);
                        instance[name] = e.Value;
                        propertyList.Add(name);
                    }
                    if (!ShouldProcessSaysYesSilently && !ShouldProcess(instance.GetPath().ToString(), _putAction)) return;
                    var options = new PutOptions { Mode = _mode, PropertyList = propertyList, StrictNulls = StrictNulls, UseAmendedQualifiers = UseAmendedQualifiers };
                    if (AsJob)
                    {
                        _jobItems.Add(new KeyValuePair<CimLiteSession, KeyValuePair<CimLiteInstance, PutOptions>>(session, new KeyValuePair<CimLiteInstance, PutOptions>(instance, options)));
                        return;
                    }
                    _batch!.Add(session, new KeyValuePair<CimLiteInstance, PutOptions>(instance, options), selected);
                });
            }
        }

        /// <summary>
        /// One pipeline batch: the puts in one <see cref="CimLitePutBatch"/> (one write transaction, a savepoint per
        /// item, so a bad item fails alone with the error a single put gives); with -PassThru each stored instance
        /// is re-read.
        /// </summary>
        private void PutBatch(CimLiteSession session, KeyValuePair<CimLiteInstance, PutOptions>[] items, object?[] outcomes, CmdletSink? sink)
        {
            _class = null; // the next record looks its class up again (see NewFromValues)
            // -OperationTimeoutSec bounds the whole batch: a put that meets the deadline fails alone (its savepoint is
            // undone), one that cannot start or commit the batch fails every item with the timeout error.
            using (var deadline = OperationTimeoutSec == 0 ? null : session.BeginDeadline(TimeSpan.FromSeconds(OperationTimeoutSec)))
            using (var batch = session.BeginPutBatch())
            {
                for (int i = 0; i < items.Length; i++)
                {
                    items[i].Value.Sink = sink;
                    if (deadline != null) items[i].Value.CancellationToken = deadline.Token;
                    var result = batch.Add(items[i].Key, items[i].Value);
                    if (sink == null) continue; // the pipeline is gone: store only
                    if (!result.Succeeded) outcomes[i] = result.Error;
                    else if (PassThru)
                    {
                        try
                        {
                            outcomes[i] = InstanceOutput.Wrap(session.GetInstance(result.Path!, new OperationOptions { Sink = sink }), session);
                        }
                        catch (CimLiteException e)
                        {
                            outcomes[i] = e;
                        }
                    }
                    sink.Flush();
                }
                batch.Commit();
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            _batch?.Complete();
            if (!AsJob || _jobItems.Count == 0) return;
            // Each instance with the session it was resolved in (instances piped from several sessions go back to their own).
            var items = _jobItems.ToArray();
            bool passThru = PassThru;
            JobStarter.Start(this, items[0].Key, (j, token) =>
            {
                var sink = new JobSink(j, writeInstances: false);
                JobStarter.ForEach(j, token, items, item => item.Key, (session, item) =>
                {
                    item.Value.Sink = sink;
                    item.Value.CancellationToken = token;
                    var path = session.PutInstance(item.Key, item.Value);
                    j.Output.Add(passThru ? InstanceOutput.Wrap(session.GetInstance(path, new OperationOptions { Sink = sink }), session) : new PSObject(path.ToString()));
                });
            });
        }

        /// <summary>
        /// The pipeline was stopped or failed elsewhere before the end: the queued puts were confirmed and, unbatched,
        /// would already be stored, so they are committed (their results can no longer be written).
        /// </summary>
        public void Dispose() => _batch?.Dispose();
    }
}
