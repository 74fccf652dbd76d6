using System;
using System.IO;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>Where the repository (the folder holding CimLite.sln) and the shared test data are.</summary>
    public static class RepositoryPaths
    {
        /// <summary>The repository root, found by walking up from the test output.</summary>
        public static string Root { get; } = FindRoot();

        /// <summary>The root file of the DMTF CIM Schema in ../shared/data beside the repository.</summary>
        public static string CimSchemaRootFile =>
            Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "cim-schema-2.32.0", "cim_schema_2.32.0.mof"));

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
