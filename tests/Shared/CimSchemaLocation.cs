using System;
using System.IO;
using System.Linq;

namespace CimLite.Testing
{
    /// <summary>
    /// The one rule for where the DMTF CIM Schema (MOF) used by the whole-schema tests and the benchmark is:
    /// <c>$CIMLITE_CIM_SCHEMA</c> (a folder whose root holds one <c>cim_schema_*.mof</c>), else
    /// <c>../shared/data/cim-schema-2.32.0</c> beside the repository if it exists, else none. With none, the
    /// tests that need it are skipped with <see cref="SkipReason"/>, unless <c>$CIMLITE_REQUIRE_CIM_SCHEMA</c> is
    /// 1 (CI sets it), when they run and fail with that reason. Compiled into the engine tests, the module tests
    /// and the benchmark (a linked file); tests/Pester/CimLite.TestSetup.ps1 applies the same rule, and
    /// CimSchemaLocationTests checks that the two agree.
    /// </summary>
    public static class CimSchemaLocation
    {
        public const string Variable = "CIMLITE_CIM_SCHEMA";
        public const string RequireVariable = "CIMLITE_REQUIRE_CIM_SCHEMA";

        private static readonly Lazy<Resolution> Current = new Lazy<Resolution>(() =>
            Resolve(Environment.GetEnvironmentVariable(Variable), FindRepositoryRoot()));

        /// <summary>The schema folder, or null when there is none.</summary>
        public static string? Folder => Current.Value.Folder;

        /// <summary>The schema's root file (<c>cim_schema_*.mof</c>), or null when there is none.</summary>
        public static string? RootFile => Current.Value.RootFile;

        /// <summary>True when <c>$CIMLITE_REQUIRE_CIM_SCHEMA</c> is 1 or true: a missing schema fails, never skips.</summary>
        public static bool Required
        {
            get
            {
                string? value = Environment.GetEnvironmentVariable(RequireVariable);
                return value != null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
            }
        }

        /// <summary>Null when the schema is there (or required: the test then fails); else the skip reason.</summary>
        public static string? SkipReasonIfAbsent => RootFile != null || Required ? null : SkipReason;

        /// <summary>Why the schema tests do not run, and how to make them run.</summary>
        public static string SkipReason => Current.Value.Reason ?? "the DMTF CIM Schema is present";

        /// <summary>The root file; throws (a loud failure) when there is none.</summary>
        public static string RequireRootFile() =>
            RootFile ?? throw new InvalidOperationException(SkipReason + (Required ? " (" + RequireVariable + "=1 requires it)" : ""));

        /// <summary>The schema folder; throws (a loud failure) when there is none.</summary>
        public static string RequireFolder()
        {
            RequireRootFile();
            return Folder!;
        }

        /// <summary>The rule itself, on explicit inputs (the variable's value and the repository root).</summary>
        public static Resolution Resolve(string? variableValue, string? repositoryRoot)
        {
            const string how = "set " + Variable + " to a folder whose root holds cim_schema_*.mof (the DMTF CIM Schema in MOF, from dmtf.org/standards/cim), or place cim-schema-2.32.0 in ../shared/data beside the repository";
            if (!string.IsNullOrWhiteSpace(variableValue))
            {
                string folder = Path.GetFullPath(variableValue!.Trim());
                string[] roots = Directory.Exists(folder) ? Directory.GetFiles(folder, "cim_schema_*.mof", SearchOption.TopDirectoryOnly) : new string[0];
                if (roots.Length == 1) return new Resolution(folder, roots[0], null);
                string problem = !Directory.Exists(folder) ? "is not a folder" :
                    roots.Length == 0 ? "holds no cim_schema_*.mof at its root" : "holds several cim_schema_*.mof at its root";
                return new Resolution(null, null, "needs the DMTF CIM Schema: " + Variable + "='" + variableValue + "' " + problem + "; " + how);
            }

            if (repositoryRoot != null)
            {
                string folder = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "data", "cim-schema-2.32.0"));
                string root = Path.Combine(folder, "cim_schema_2.32.0.mof");
                if (File.Exists(root)) return new Resolution(folder, root, null);
            }

            return new Resolution(null, null, "needs the DMTF CIM Schema, which is not here: " + how);
        }

        /// <summary>The folder holding CimLite.sln above this assembly, or null.</summary>
        public static string? FindRepositoryRoot()
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "CimLite.sln"))) return d.FullName;
            }

            return null;
        }

        /// <summary>Where the rule led: a folder and root file, or a reason.</summary>
        public sealed class Resolution
        {
            public Resolution(string? folder, string? rootFile, string? reason)
            {
                Folder = folder;
                RootFile = rootFile;
                Reason = reason;
            }

            public string? Folder { get; }

            public string? RootFile { get; }

            public string? Reason { get; }
        }
    }
}
