using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests
{
    /// <summary>
    /// The repository's PowerShell scripts cannot be run here (no pwsh for build.ps1), but they must at
    /// least parse with the PowerShell parser, and build.ps1 must offer the modes the README promises.
    /// </summary>
    public class ScriptFilesTests
    {
        public static IEnumerable<object[]> Scripts()
        {
            string root = RepositoryPaths.Root;
            yield return new object[] { "build.ps1" };
            yield return new object[] { Path.Combine("samples", "quickstart.ps1") };
            foreach (string file in Directory.GetFiles(Path.Combine(root, "tests", "Pester"), "*.Tests.ps1"))
            {
                yield return new object[] { Path.GetRelativePath(root, file) };
            }
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Script_parses_without_errors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(RepositoryPaths.Root, relativePath), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => e.Extent.StartLineNumber + ": " + e.Message)));
        }

        [Fact]
        public void Build_script_offers_build_test_clean_and_configuration()
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(RepositoryPaths.Root, "build.ps1"), out _, out _);
            string[] parameters = ast.ParamBlock!.Parameters.Select(p => p.Name.VariablePath.UserPath).ToArray();
            Assert.Equal(new[] { "Build", "Test", "Clean", "Configuration" }, parameters);
            string text = ast.Extent.Text;
            Assert.Contains("dotnet publish src/Module -c $Configuration -o out/CimLite", text);
            Assert.Contains("$LASTEXITCODE", text);
        }

    }
}
