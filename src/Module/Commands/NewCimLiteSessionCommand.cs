using System;
using System.Management.Automation;
using CimLite.Sessions;

namespace CimLite.Commands
{
    /// <summary>Opens a repository file (created when missing), a new in-memory repository, or a repository on a PostgreSQL server.</summary>
    [Cmdlet(VerbsCommon.New, "CimLiteSession", DefaultParameterSetName = nameof(Sets.Path))]
    [OutputType(typeof(CimLiteSession))]
    public sealed class NewCimLiteSessionCommand : PSCmdlet
    {
        private enum Sets { Path, InMemory, ConnectionString }

        /// <summary>The repository file.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = nameof(Sets.Path))]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Open a new, empty repository in memory.</summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.InMemory))]
        public SwitchParameter InMemory { get; set; }

        /// <summary>
        /// An Npgsql connection string naming a PostgreSQL server (<c>Host=…;Port=…;Username=…;Database=…[;Search Path=schema]</c>):
        /// the repository lives in the first schema of Search Path (default <c>cimlite</c>), created on first use. A
        /// password comes from the string, PGPASSWORD or ~/.pgpass and is never shown.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = nameof(Sets.ConnectionString))]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; } = "";

        /// <summary>Refuse every write with ACCESS_DENIED.</summary>
        [Parameter]
        public SwitchParameter ReadOnly { get; set; }

        /// <summary>The namespace used when a command names none (default root/cimv2).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = CimLiteSession.DefaultNamespaceName;

        /// <summary>
        /// How many seconds an operation waits for another session's or process's lock (retrying) before it fails
        /// with "repository busy". Default: $env:CIMLITE_BUSY_TIMEOUT, else 10.
        /// </summary>
        [Parameter]
        [ValidateRange(0.0, 86400.0)]
        public double? BusyTimeout { get; set; }

        /// <summary>
        /// Use the file even when another user owns or can write it, its -wal/-shm, or its folder (Unix). Without it
        /// such a file is refused (a read-only session opens it with a warning).
        /// </summary>
        [Parameter(ParameterSetName = nameof(Sets.Path))]
        public SwitchParameter AllowSharedFile { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            try
            {
                var options = new CimLiteSessionOptions
                {
                    ReadOnly = ReadOnly,
                    DefaultNamespace = Namespace,
                    BusyTimeout = BusyTimeout.HasValue ? TimeSpan.FromSeconds(BusyTimeout.Value) : SessionRegistry.DefaultBusyTimeout(),
                    AllowSharedFile = AllowSharedFile,
                    ValueUnwrapper = ParameterValues.Unwrap,
                };
                CimLiteSession session;
                if (ParameterSetName == nameof(Sets.ConnectionString))
                {
                    WriteVerbose(Strings.OpeningServer(ConnectionStrings.WithoutPassword(ConnectionString)));
                    session = CimLiteSession.OpenServer(ConnectionString, options);
                }
                else session = InMemory
                    ? CimLiteSession.OpenInMemory(options)
                    : CimLiteSession.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), options);
                SessionRegistry.Track(session);
                foreach (var warning in session.OpenWarnings) WriteWarning(warning);
                WriteObject(session);
            }
            catch (CimLiteException e)
            {
                // Never the connection string as it was typed: it may hold a password.
                ThrowTerminatingError(Errors.ErrorRecordFactory.Create(e, ParameterSetName == nameof(Sets.ConnectionString) ? ConnectionStrings.WithoutPassword(ConnectionString) : Path));
            }
        }
    }
}
