using System;
using Xunit;

namespace CimLite.Testing
{
    /// <summary>
    /// A fact for Unix only (file modes, ownership, FIFOs, devices): on Windows it is reported as skipped with the
    /// reason, instead of returning early and being counted as passed. On Unix it runs, and can fail, like any fact.
    /// </summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        /// <param name="reason">Why the test needs Unix: the skip reason on Windows.</param>
        public UnixFactAttribute(string reason = "Unix only: Unix file modes")
        {
            if (OperatingSystem.IsWindows()) Skip = reason;
        }
    }

    /// <summary>A fact for Linux only: elsewhere it is reported as skipped with the reason.</summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        /// <param name="reason">Why the test needs Linux: the skip reason elsewhere.</param>
        public LinuxFactAttribute(string reason)
        {
            if (!OperatingSystem.IsLinux()) Skip = reason;
        }
    }
}
