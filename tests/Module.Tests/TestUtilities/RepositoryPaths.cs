using System;
using System.IO;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>Where the repository (the folder holding CimLite.sln) is (the DMTF schema: CimLite.Testing.CimSchemaLocation).</summary>
    public static class RepositoryPaths
    {
        /// <summary>The repository root, found by walking up from the test output.</summary>
        public static string Root { get; } = FindRoot();

        private static string FindRoot()
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "CimLite.sln")))
                {
                    return d.FullName;
                }
            }

            throw new InvalidOperationException("CimLite.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
