using System;

namespace CimLite
{
    /// <summary>
    /// The one exception the engine throws for CIM conditions. It carries the CIM status, the matching
    /// WMI HRESULT and the class, property and instance path the condition is about.
    /// </summary>
    [Serializable]
    public sealed class CimLiteException : Exception
    {
        /// <summary>Creates an exception for a status with a message a person can act on.</summary>
        public CimLiteException(CimStatus status, string message, string? className = null, string? propertyName = null, string? instancePath = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Status = status;
            HResult = CimStatusInfo.ToHResult(status);
            ClassName = className;
            PropertyName = propertyName;
            InstancePath = instancePath;
        }

        /// <summary>The CIM status of the failure.</summary>
        public CimStatus Status { get; }

        /// <summary>The CIM status (same as <see cref="Status"/>); the name PowerShell scripts use.</summary>
        public CimStatus StatusCode => Status;

        /// <summary>The WMI HRESULT (WBEM_E_*) that matches <see cref="Status"/>.</summary>
        public int WmiHResult => CimStatusInfo.ToHResult(Status);

        /// <summary>The class the failure is about, when there is one.</summary>
        public string? ClassName { get; }

        /// <summary>The property the failure is about, when there is one.</summary>
        public string? PropertyName { get; }

        /// <summary>The instance path the failure is about, when there is one.</summary>
        public string? InstancePath { get; }

        /// <summary>What the caller can do about it, when there is something to say.</summary>
        public string? RecommendedAction { get; internal set; }

        /// <summary>Thrown by a store for a failure of the storage itself (damage, I/O, busy, stopped), not of the request.</summary>
        internal bool IsStorageFailure { get; set; }

        /// <summary>A storage failure because the repository was busy (BUSY/LOCKED): the attempt may be retried.</summary>
        internal bool IsStorageBusy { get; set; }

        /// <summary>Set on <see cref="InvokeMethodRequest.NotHandled"/>: the provider has no handler for the method.</summary>
        internal bool IsNoHandler { get; set; }
        /// <summary>
        /// True when <see cref="Exception.Message"/> already names <see cref="ClassName"/> (the engine's own messages
        /// do). A provider error about the provider's own class with this flag passes on as it is; without it the
        /// engine prefixes "The provider of class '…' failed:". A provider may set it on an error it throws.
        /// </summary>
        public bool MessageNamesClass { get; set; }

        /// <summary>The source file the failure is about (MOF import), when there is one.</summary>
        public string? SourceFile { get; internal set; }

        /// <summary>The 1-based line in <see cref="SourceFile"/>, or 0.</summary>
        public int SourceLine { get; internal set; }

        /// <summary>The 1-based column in <see cref="SourceFile"/>, or 0.</summary>
        public int SourceColumn { get; internal set; }
    }
}
