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

        public static IEnumerable<object[]> PesterFiles() =>
            Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "tests", "Pester"), "*.Tests.ps1")
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetFileName(f) });

        /// <summary>
        /// The Pester files must also run under Windows PowerShell 5.1 with real Pester 5: no PowerShell 7 syntax
        /// (ternary, ??, ??=, &amp;&amp;/||, ?. and ?[], ForEach-Object -Parallel, clean blocks).
        /// </summary>
        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void Pester_file_uses_no_PowerShell_7_only_syntax(string fileName)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(RepositoryPaths.Root, "tests", "Pester", fileName), out Token[] tokens, out _);
            var found = new List<string>();
            foreach (Ast node in ast.FindAll(_ => true, searchNestedScriptBlocks: true))
            {
                string? what = node switch
                {
                    TernaryExpressionAst => "a ternary operator",
                    PipelineChainAst => "&& or ||",
                    BinaryExpressionAst b when b.Operator == TokenKind.QuestionQuestion => "??",
                    AssignmentStatementAst a when a.Operator == TokenKind.QuestionQuestionEquals => "??=",
                    MemberExpressionAst m when m.NullConditional => "?. or ?[]",
                    IndexExpressionAst i when i.NullConditional => "?[]",
                    NamedBlockAst n when n.BlockKind == TokenKind.Clean => "a clean block",
                    CommandAst c when c.GetCommandName() is "ForEach-Object" or "foreach" or "%"
                        && c.CommandElements.OfType<CommandParameterAst>().Any(p => "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase) && p.ParameterName.Length >= 2) => "ForEach-Object -Parallel",
                    _ => null,
                };
                if (what != null) found.Add($"{fileName}:{node.Extent.StartLineNumber}: {what}");
            }
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        }

        /// <summary>
        /// Pester 5 runs code outside It/BeforeAll/BeforeEach/AfterEach/AfterAll at discovery only; the files keep
        /// everything inside them: the file and every Describe/Context body call only those blocks.
        /// </summary>
        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void Pester_file_has_no_code_at_discovery_time(string fileName)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(RepositoryPaths.Root, "tests", "Pester", fileName), out _, out _);
            var found = new List<string>();
            CheckBlockBody(ast, fileName, found);
            Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        }

        private static readonly string[] PesterBlocks = { "Describe", "Context", "It", "BeforeAll", "AfterAll", "BeforeEach", "AfterEach" };

        private static void CheckBlockBody(ScriptBlockAst body, string fileName, List<string> found)
        {
            if (body.ParamBlock != null || body.BeginBlock != null || body.ProcessBlock != null)
                found.Add($"{fileName}:{body.Extent.StartLineNumber}: a param/begin/process block in a Pester block body");
            foreach (StatementAst statement in body.EndBlock?.Statements ?? (IEnumerable<StatementAst>)Array.Empty<StatementAst>())
            {
                var command = (statement as PipelineAst)?.PipelineElements is { Count: 1 } elements ? elements[0] as CommandAst : null;
                string? name = command?.GetCommandName();
                if (command == null || name == null || !PesterBlocks.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    found.Add($"{fileName}:{statement.Extent.StartLineNumber}: code at discovery time: {statement.Extent.Text.Split('\n')[0]}");
                    continue;
                }
                if (name.Equals("Describe", StringComparison.OrdinalIgnoreCase) || name.Equals("Context", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (ScriptBlockExpressionAst block in command.CommandElements.OfType<ScriptBlockExpressionAst>())
                        CheckBlockBody(block.ScriptBlock, fileName, found);
                }
            }
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
