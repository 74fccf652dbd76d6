using System;
using System.Management.Automation;
using System.Threading;
using CimLite.Errors;
using CimLite.Hosting;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>
    /// The small base of every CimLite cmdlet: the -Session parameter and its resolution, the two ways an engine
    /// failure becomes an ErrorRecord (non-terminating per item, terminating for parameters), cancellation (a
    /// pipeline stop cancels <see cref="StopToken"/> and interrupts the session in use), and engine calls with a
    /// <see cref="CmdletSink"/> under the session's gate (<see cref="Call"/>, flushed after each call), so that
    /// the cmdlets themselves only say what to do.
    /// </summary>
    public abstract class CimLiteCmdlet : PSCmdlet
    {
        private CimLiteSession? _resolved;

        // The session the current record uses (a piped instance's own one is not cached in _resolved): what a stop interrupts.
        private volatile CimLiteSession? _inUse;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private bool? _stopsAtFirstError;

        /// <summary>The session to use; without it, the default session of this runspace.</summary>
        [Parameter]
        [Alias("CimSession")]
        [ValidateNotNull]
        public CimLiteSession? Session { get; set; }

        /// <summary>
        /// The instance this pipeline record is about (-InputObject), whose own session applies when -Session is not
        /// given; null for cmdlets and parameter sets without one.
        /// </summary>
        protected virtual CimLiteInstance? PipedInstance => null;

        /// <summary>
        /// The resolved session: -Session; else the session that produced the piped instance (CimCmdlets' rule: an
        /// instance remembers its session; one of a closed session is an error, never the default repository); else
        /// the default one (opened on first use).
        /// </summary>
        protected CimLiteSession ResolvedSession
        {
            get
            {
                if (Session == null && PipedInstance is CimLiteInstance piped && Sessions.InstanceSessions.Of(piped) is CimLiteSession origin)
                {
                    if (origin.IsClosed)
                        ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.InstanceSessionClosed(piped.TryGetPath()?.ToString() ?? piped.ClassName, origin.Path),
                            "CimLite.SessionClosed", piped));
                    return _inUse = origin; // not cached: the next record may come from another session
                }
                if (_resolved != null) return _inUse = _resolved;
                if (Session != null)
                {
                    if (Session.IsClosed)
                        ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.SessionClosed, "CimLite.SessionClosed", Session));
                    return _inUse = _resolved = Session;
                }
                try
                {
                    return _inUse = _resolved = SessionRegistry.GetDefault();
                }
                catch (CimLiteException e)
                {
                    ThrowTerminatingError(ErrorRecordFactory.Create(e, SessionRegistry.DefaultRepositoryName()));
                    throw;
                }
            }
        }

        // MshCommandRuntime.CalculatePossibleShouldProcessOptimization (internal): PowerShell's own test of whether
        // ShouldProcess would answer yes without showing or asking anything, which its CIM cmdletization uses to skip the call.
        private static readonly System.Reflection.MethodInfo? s_shouldProcessOptimization =
            typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.MshCommandRuntime")?.GetMethod(
                "CalculatePossibleShouldProcessOptimization", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, Type.EmptyTypes, null);

        private bool? _shouldProcessSaysYesSilently;

        /// <summary>
        /// True when ShouldProcess would answer yes without writing or asking anything in this command: no -WhatIf (or
        /// $WhatIfPreference), the cmdlet's ConfirmImpact below $ConfirmPreference (or -Confirm:$false), no verbose output.
        /// Then a per-item caller may skip building the target text and the call. It is PowerShell's own answer
        /// (<c>MshCommandRuntime.CalculatePossibleShouldProcessOptimization</c>, read by reflection once per command);
        /// when that is not there (another command runtime, another PowerShell) it is false and ShouldProcess is always called.
        /// </summary>
        internal bool ShouldProcessSaysYesSilently
        {
            get
            {
                if (_shouldProcessSaysYesSilently.HasValue) return _shouldProcessSaysYesSilently.Value;
                bool silent = false;
                var runtime = CommandRuntime;
                var method = s_shouldProcessOptimization;
                if (runtime != null && method != null && method.DeclaringType!.IsInstanceOfType(runtime))
                {
                    try
                    {
                        silent = string.Equals(method.Invoke(runtime, null)?.ToString(), "AutoYes_CanSkipShouldProcessCall", StringComparison.Ordinal);
                    }
                    catch (System.Reflection.TargetInvocationException)
                    {
                        silent = false;
                    }
                }
                _shouldProcessSaysYesSilently = silent;
                return silent;
            }
        }

        /// <summary>Cancelled when the pipeline is stopped: give it to engine calls that take a cancellation token.</summary>
        private protected CancellationToken StopToken => _stop.Token;

        /// <summary>
        /// A pipeline stop (Ctrl+C, PowerShell.Stop) cancels <see cref="StopToken"/> and interrupts the SQLite
        /// statement the session is running, so that a long read or write stops within moments (a write is rolled
        /// back whole).
        /// </summary>
        protected override void StopProcessing()
        {
            _stop.Cancel();
            _inUse?.Interrupt();
            base.StopProcessing();
        }

        /// <summary>
        /// Whether an error stops the pipeline (-ErrorAction, else $ErrorActionPreference, is Stop or Inquire): then
        /// work is not queued behind later items (a pipeline batch holds one item). PowerShellStandard has no API for
        /// a cmdlet's effective error action, so it is read here, once per command.
        /// </summary>
        internal bool StopsAtFirstError
        {
            get
            {
                if (_stopsAtFirstError.HasValue) return _stopsAtFirstError.Value;
                object? preference;
                if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)) preference = bound;
                else preference = GetVariableValue("ErrorActionPreference");
                if (preference is PSObject pso) preference = pso.BaseObject;
                bool stops = preference is ActionPreference p && (p == ActionPreference.Stop || p == ActionPreference.Inquire)
                    || preference is string s && (s.Equals("Stop", StringComparison.OrdinalIgnoreCase) || s.Equals("Inquire", StringComparison.OrdinalIgnoreCase));
                _stopsAtFirstError = stops;
                return stops;
            }
        }

        /// <summary>
        /// Runs one engine call on <paramref name="session"/> under its gate, with a sink that writes providers'
        /// messages and progress (and, with <paramref name="writeInstances"/>, the instances) to this cmdlet's
        /// streams; what provider threads queued is written after the call, also when it fails.
        /// </summary>
        internal void Call(CimLiteSession session, Action<CmdletSink> call, bool writeInstances = false)
        {
            var sink = new CmdletSink(this, writeInstances, writeInstances ? session : null);
            try
            {
                lock (SessionGate.Of(session)) call(sink);
            }
            finally
            {
                sink.Flush();
            }
        }

        /// <summary>Writes a non-terminating error for one pipeline item.</summary>
        protected internal void WriteCimLiteError(CimLiteException exception, object? target) =>
            WriteError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Stops the command with an error (bad parameters, unusable session).</summary>
        protected void ThrowCimLiteError(CimLiteException exception, object? target) =>
            ThrowTerminatingError(ErrorRecordFactory.Create(exception, target));

        /// <summary>Stops the command because two parameters cannot be used together.</summary>
        protected void ThrowConflictingParameters(string first, string second) =>
            ThrowTerminatingError(ErrorRecordFactory.InvalidArgument(Strings.ConflictingParameters(first, second),
                "CimLite.ConflictingParameters", null));

        /// <summary>Runs one engine call for one item; a CimLiteException becomes a non-terminating error.</summary>
        /// <remarks>
        /// The session is locked for the call (reentrant on this thread), so a -AsJob call running on another
        /// thread never uses the same SQLite connection at the same time.
        /// </remarks>
        protected void ForItem(object? target, Action action)
        {
            try
            {
                lock (GateOf(ResolvedSession)) action();
            }
            catch (CimLiteException e)
            {
                WriteCimLiteError(e, target);
            }
        }

        /// <summary>
        /// As <see cref="ForItem(object, Action)"/> for an item of a pipeline batch: when the item fails, the queued items
        /// run (and their results are written) before its error is, keeping pipeline order. <paramref name="action"/>
        /// may be a delegate made once per command (no closure per record).
        /// </summary>
        internal void ForBatchedItem<TItem>(PipelineBatcher<TItem> batch, object? target, Action action)
        {
            try
            {
                lock (GateOf(ResolvedSession))
                {
                    try
                    {
                        action();
                    }
                    catch (CimLiteException)
                    {
                        batch.Flush();
                        throw;
                    }
                }
            }
            catch (CimLiteException e)
            {
                WriteCimLiteError(e, target);
            }
        }

        /// <summary>
        /// Refuses CimCmdlets parameters that CimLite accepts only so that their calls bind (-ComputerName, -ResourceUri):
        /// a terminating NOT_SUPPORTED error naming the first one given.
        /// </summary>
        private protected void RefuseUnsupported(params string[] parameters)
        {
            foreach (var name in parameters)
                if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
                    ThrowCimLiteError(new CimLiteException(CimStatus.NotSupported, Strings.ParameterNotSupported(name)), value);
        }

        /// <summary>Refuses a -QueryDialect other than WQL (QUERY_LANGUAGE_NOT_SUPPORTED, terminating); null passes.</summary>
        private protected void CheckQueryDialect(string? dialect)
        {
            if (dialect != null && !string.Equals(dialect.Trim(), "WQL", StringComparison.OrdinalIgnoreCase))
                ThrowCimLiteError(new CimLiteException(CimStatus.QueryLanguageNotSupported, Strings.QueryDialectNotSupported(dialect)), dialect);
        }

        /// <summary>
        /// Runs <paramref name="operation"/> with the time limit of -OperationTimeoutSec (0: none, the session's busy
        /// timeout alone applies) and the token to give the engine (cancelled by a pipeline stop or at the deadline).
        /// Within the limit every wait for a lock ends by the deadline; at the deadline the running statement is
        /// interrupted. Whatever fails or stops after the deadline comes out as the one "timed out" error (FAILED).
        /// </summary>
        internal void WithinTimeLimit(CimLiteSession session, uint seconds, Action<CancellationToken> operation)
        {
            if (seconds == 0)
            {
                operation(StopToken);
                return;
            }
            using (var deadline = session.BeginDeadline(TimeSpan.FromSeconds(seconds)))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(StopToken, deadline.Token))
            {
                try
                {
                    operation(either.Token);
                }
                catch (CimLiteException e) when (deadline.IsExpired && !StopToken.IsCancellationRequested)
                {
                    throw new CimLiteException(CimStatus.Failed, deadline.TimedOut().Message, innerException: e);
                }
                // Only when the token stopped the operation (a read loop ends quietly on it), not when it merely finished late.
                if (deadline.Token.IsCancellationRequested && !StopToken.IsCancellationRequested) throw deadline.TimedOut();
            }
        }

        private CimLiteSession? _gateSession;
        private object? _gate;

        /// <summary>The gate of <paramref name="session"/>, remembered for the next record (a pipeline mostly uses one session).</summary>
        private object GateOf(CimLiteSession session)
        {
            if (!ReferenceEquals(session, _gateSession) || _gate == null)
            {
                _gate = SessionGate.Of(session);
                _gateSession = session;
            }
            return _gate;
        }
    }
}
