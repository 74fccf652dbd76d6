using System.Text.RegularExpressions;

namespace CimLite.Tests.Security;

/// <summary>
/// Names and values never reach SQL as text: every statement the engine prepares is a string literal, except a
/// short, reviewed list of places that pass fixed text through (each with its reason). A new statement built from
/// a variable fails this test until it is reviewed and listed.
/// </summary>
public sealed class SqlTextTests
{
    // (file, start of the argument) -> why it is safe.
    private static readonly (string File, string Argument, string Why)[] Reviewed =
    {
        ("Repository.cs", "sql", "plumbing: Command/NewCommand/Execute/Scalar/Statement take the caller's text"),
        ("Repository.cs", "RepositorySchema.CreateV1", "a constant DDL string"),
        ("Repository.cs", "RepositorySchema.Migrations[", "constant migration DDL"),
        ("Repository.cs", "\"PRAGMA application_id = \" + RepositorySchema.ApplicationId", "an integer constant"),
        ("Repository.cs", "\"PRAGMA user_version = \" + RepositorySchema.FormatVersion", "an integer constant"),
        ("Repository.cs", "\"PRAGMA user_version = \" + (version + 1", "an integer from the migration loop"),
        ("Repository.cs", "\"PRAGMA busy_timeout = \" + _busyTimeoutMs", "an integer option"),
        ("SqliteQueryTranslator.cs", "Describe(query", "fixed fragments and $-placeholders only (hostile-value corpus tests)"),
        ("SqliteQueryTranslator.cs", "\"EXPLAIN QUERY PLAN \" + Describe(query", "ExplainQuery: a literal prefix on the translator's text"),
        ("SqlitePostedStore.cs", "sql", "one of four string literals chosen by TakeSql"),
        ("RepositorySchema.cs", "sql", "ExpectedObjects' scratch in-memory database: CreateV1 and the migrations, constants"),
    };

    private static readonly Regex Call = new(
        @"(?<call>\.Command\b|\.NewCommand\b|\.Statement\b|(?<![\w.])Execute\b|(?<![\w.])Scalar\b|CommandText\s*=)\s*\(?\s*(?<arg>(?:""(?:\\.|[^""\\])*""|@""(?:""""|[^""])*""|[^,;)\r\n])+(?:\([^)]*\))?[^,;)\r\n]*)",
        RegexOptions.Compiled);

    private static readonly Regex Literal = new(@"^(?:""(?:\\.|[^""\\])*""|@""(?:""""|[^""])*"")$", RegexOptions.Compiled);

    private static string EngineFolder() => Path.Combine(TestUtilities.RepositoryPaths.Root, "src", "Engine");

    [Fact]
    public void Every_statement_the_engine_prepares_is_a_literal_or_a_reviewed_pass_through()
    {
        var offenders = new List<string>();
        int literals = 0;
        foreach (var file in Directory.GetFiles(EngineFolder(), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)) continue;
            var name = Path.GetFileName(file);
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith("//", StringComparison.Ordinal) || line.TrimStart().StartsWith("///", StringComparison.Ordinal)) continue;
                foreach (Match m in Call.Matches(line))
                {
                    var arg = m.Groups["arg"].Value.Trim();
                    if (arg.Length == 0 || arg.StartsWith("string ", StringComparison.Ordinal)) continue; // a declaration
                    if (Literal.IsMatch(arg)) { literals++; continue; }
                    if (Reviewed.Any(r => r.File == name && arg.StartsWith(r.Argument, StringComparison.Ordinal))) continue;
                    offenders.Add($"{name}:{i + 1}: {m.Groups["call"].Value}({arg}");
                }
            }
        }
        Assert.True(offenders.Count == 0, "SQL built from something other than a literal:\n" + string.Join("\n", offenders));
        Assert.True(literals > 20, "the scan found only " + literals + " literal statements: is the pattern still right?");
    }

    [Fact]
    public void No_interpolated_or_formatted_string_in_the_engine_holds_SQL()
    {
        var sql = new Regex(@"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|WHERE)\b", RegexOptions.Compiled);
        var offenders = new List<string>();
        foreach (var file in Directory.GetFiles(EngineFolder(), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (Match m in Regex.Matches(lines[i], @"\$@?""(?:\\.|[^""\\])*"""))
                    if (sql.IsMatch(m.Value)) offenders.Add(Path.GetFileName(file) + ":" + (i + 1) + ": " + m.Value);
                if (lines[i].Contains("string.Format(", StringComparison.Ordinal) && sql.IsMatch(lines[i]))
                    offenders.Add(Path.GetFileName(file) + ":" + (i + 1) + ": " + lines[i].Trim());
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }
}
