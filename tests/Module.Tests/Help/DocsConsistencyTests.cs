using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CimLite.HelpGen;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Help;

/// <summary>
/// docs/help stays true to the cmdlets: every exported cmdlet and parameter has its entry, nothing is
/// documented that does not exist, and each documented type, parameter set, Required, Position and
/// pipeline input is what the cmdlet declares.
/// </summary>
public class DocsConsistencyTests
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static List<CmdletInfo> Cmdlets()
    {
        using var host = new HostedRunspace();
        return host.Invoke("Get-Command -Module CimLite -CommandType Cmdlet").ThrowIfErrors().Values.Cast<CmdletInfo>().ToList();
    }

    [Fact]
    public void Every_cmdlet_has_a_page_and_every_page_a_cmdlet()
    {
        var cmdlets = Cmdlets().Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var pages = HelpPages.CommandPageFiles().Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).ToList();
        Assert.Equal(cmdlets, pages);
    }

    [Fact]
    public void Every_page_has_the_PlatyPS_sections()
    {
        foreach (var file in HelpPages.CommandPageFiles())
        {
            var page = CommandHelp.Parse(file);
            var name = System.IO.Path.GetFileName(file);
            Assert.True(page.FrontMatter.TryGetValue("external help file", out var helpFile) && helpFile == "CimLite.dll-Help.xml", name);
            Assert.True(page.FrontMatter.TryGetValue("Module Name", out var module) && module == "CimLite", name);
            Assert.True(page.FrontMatter.TryGetValue("schema", out var schema) && schema == "2.0.0", name);
            Assert.True(page.FrontMatter.ContainsKey("online version"), name);
            Assert.Equal(System.IO.Path.GetFileNameWithoutExtension(file), page.Name);
            Assert.DoesNotContain("TODO", System.IO.File.ReadAllText(file));
            Assert.NotEmpty(page.Syntax);
            Assert.NotEmpty(page.Description);
            Assert.True(page.Examples.Count >= 2, name + ": fewer than two examples");
            Assert.All(page.Examples, e => Assert.Contains(e.Code, c => c.Language == "powershell"));
            Assert.True(page.HasCommonParameters, name + ": no CommonParameters");
            Assert.NotEmpty(page.Inputs);
            Assert.NotEmpty(page.Outputs);
            Assert.All(page.Parameters, p => Assert.True(p.Description.Count > 0, name + ": -" + p.Name + " has no description"));
        }
    }

    [Fact]
    public void Documented_parameters_match_the_cmdlets()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Cmdlets())
        {
            CommandHelp page;
            try
            {
                page = HelpPages.Read(cmdlet.Name);
            }
            catch (System.IO.FileNotFoundException)
            {
                problems.Add(cmdlet.Name + ": no page");
                continue;
            }

            var sets = cmdlet.ParameterSets.Select(s => s.Name).ToList();
            var actual = cmdlet.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            foreach (var name in actual.Keys.Where(n => !page.Parameters.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
                problems.Add(cmdlet.Name + ": -" + name + " is not documented");
            foreach (var doc in page.Parameters)
            {
                if (!actual.TryGetValue(doc.Name, out var parameter))
                {
                    problems.Add(cmdlet.Name + ": -" + doc.Name + " is documented but does not exist");
                    continue;
                }

                var type = (Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType).Name;
                var aliases = string.Join(",", parameter.Aliases.OrderBy(a => a, StringComparer.Ordinal));
                var expected = Expected(parameter, sets);
                var documented = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var m in doc.Metadata)
                {
                    if (m.Type != type) problems.Add($"{cmdlet.Name} -{doc.Name}: documented type {m.Type}, actual {type}");
                    if (string.Join(",", m.Aliases.OrderBy(a => a, StringComparer.Ordinal)) != aliases) problems.Add($"{cmdlet.Name} -{doc.Name}: documented aliases '{string.Join(",", m.Aliases)}', actual '{aliases}'");
                    var wildcards = parameter.Attributes.OfType<SupportsWildcardsAttribute>().Any();
                    if (m.Wildcards != wildcards) problems.Add($"{cmdlet.Name} -{doc.Name}: documented wildcards {m.Wildcards}, actual {wildcards}");
                    var setNames = m.ParameterSets.Contains("(All)") ? expected.Keys.ToList() : m.ParameterSets;
                    foreach (var set in setNames)
                        documented[set] = $"Required={m.Required} Position={m.Position} Pipeline={m.PipelineInput}";
                }

                var want = string.Join("; ", expected.Select(kv => kv.Key + ": " + kv.Value));
                var have = string.Join("; ", documented.Select(kv => kv.Key + ": " + kv.Value));
                if (want != have) problems.Add($"{cmdlet.Name} -{doc.Name}: documented sets [{have}], actual [{want}]");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Per parameter set the parameter belongs to: Required, Position and pipeline input as PlatyPS writes them.</summary>
    private static SortedDictionary<string, string> Expected(System.Management.Automation.ParameterMetadata parameter, List<string> cmdletSets)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (set, a) in parameter.ParameterSets)
        {
            var pipe = (a.ValueFromPipeline, a.ValueFromPipelineByPropertyName) switch
            {
                (true, true) => "True (ByPropertyName, ByValue)",
                (true, false) => "True (ByValue)",
                (false, true) => "True (ByPropertyName)",
                _ => "False",
            };
            var text = $"Required={a.IsMandatory} Position={(a.Position == int.MinValue ? "Named" : a.Position.ToString(System.Globalization.CultureInfo.InvariantCulture))} Pipeline={pipe}";
            if (set == "__AllParameterSets")
            {
                foreach (var s in cmdletSets) result.TryAdd(s, text);
            }
            else
            {
                result[set] = text;
            }
        }

        return result;
    }
}
