using System.Collections.Generic;
using System.Linq;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests.Help;

/// <summary>The published module carries MAML and about help, and Get-Help -Full shows it.</summary>
public class GetHelpTests
{
    [Fact]
    public void Published_module_contains_the_generated_help()
    {
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(HostedRunspace.ModuleDirectory, "en-US", "CimLite.dll-Help.xml")));
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(HostedRunspace.ModuleDirectory, "en-US", "about_CimLite.help.txt")));
        Assert.False(System.IO.File.Exists(System.IO.Path.Combine(HostedRunspace.ModuleDirectory, "Markdig.dll")));
    }

    [Theory]
    [MemberData(nameof(HelpPages.CmdletNames), MemberType = typeof(HelpPages))]
    public void Get_Help_Full_shows_synopsis_parameters_and_examples(string cmdlet)
    {
        var page = HelpPages.Read(cmdlet);
        using var host = new HostedRunspace();
        var help = host.Invoke("Get-Help -Name $Name -Full", new System.Collections.Hashtable { ["Name"] = cmdlet }).ThrowIfErrors().Output.Single();

        Assert.Equal(string.Join(" ", page.Synopsis), ((string)help.Properties["Synopsis"].Value).Trim());

        var parameterNames = host.Invoke("(Get-Help -Name $Name -Full).parameters.parameter | ForEach-Object { $_.name }", new System.Collections.Hashtable { ["Name"] = cmdlet })
            .ThrowIfErrors().Values.Select(v => (string)v!).ToList();
        Assert.Equal(page.Parameters.Select(p => p.Name).OrderBy(n => n), parameterNames.OrderBy(n => n));

        var parameterText = host.Invoke("(Get-Help -Name $Name -Parameter *) | ForEach-Object { $_.name + '=' + (($_.description | ForEach-Object { $_.Text }) -join ' ') }", new System.Collections.Hashtable { ["Name"] = cmdlet })
            .ThrowIfErrors().Values.Select(v => (string)v!).ToList();
        Assert.All(parameterText, t => Assert.True(t.Length > t.IndexOf('=') + 1, "parameter without a description: " + t));

        var examples = host.Invoke("(Get-Help -Name $Name -Examples).examples.example | ForEach-Object { $_.code }", new System.Collections.Hashtable { ["Name"] = cmdlet })
            .ThrowIfErrors().Values.Select(v => (string)v!).ToList();
        Assert.True(examples.Count >= 2, cmdlet + " has fewer than two examples in Get-Help");
        Assert.Equal(page.Examples.Count, examples.Count);
        Assert.All(examples, code => Assert.False(string.IsNullOrWhiteSpace(code)));
    }

    [Theory]
    [MemberData(nameof(HelpPages.CmdletNames), MemberType = typeof(HelpPages))]
    public void Get_Help_Examples_shows_the_documented_output(string cmdlet)
    {
        var page = HelpPages.Read(cmdlet);
        var screen = new TextHost(250);
        using var host = new HostedRunspace(host: screen);

        // In the MAML each example's code holds its output blocks verbatim, after the commands (as PlatyPS writes it).
        var codes = host.Invoke("(Get-Help -Name $Name -Examples).examples.example | ForEach-Object { $_.code }", new System.Collections.Hashtable { ["Name"] = cmdlet })
            .ThrowIfErrors().Values.Select(v => ((string)v!).Replace("\r\n", "\n")).ToList();
        Assert.Equal(page.Examples.Count, codes.Count);
        for (int i = 0; i < codes.Count; i++)
        {
            var code = codes[i];
            foreach (var output in page.Examples[i].Code.Where(HelpPages.IsOutput))
                Assert.Contains(output.Text, code);
        }

        // And the console display of Get-Help -Examples shows every output block's lines, in order.
        host.InvokeToHost("Get-Help -Name " + cmdlet + " -Examples").ThrowIfErrors();
        AssertShows(screen.Text, page.Examples.SelectMany(e => e.Code).Where(HelpPages.IsOutput).Select(o => o.Text), cmdlet);
    }

    [Theory]
    [MemberData(nameof(HelpPages.AboutTopicNames), MemberType = typeof(HelpPages))]
    public void Get_Help_about_topic_shows_the_documented_output(string topic)
    {
        var screen = new TextHost(250);
        using var host = new HostedRunspace(host: screen);
        host.InvokeToHost("Get-Help -Name " + topic).ThrowIfErrors();
        AssertShows(screen.Text, HelpPages.ReadAboutExamples(topic).SelectMany(e => e.Code).Where(HelpPages.IsOutput).Select(o => o.Text), topic);
    }

    [Fact]
    public void About_text_keeps_brackets_that_are_not_links()
    {
        using var host = new HostedRunspace();
        var text = string.Join("\n", host.Invoke("Get-Help -Name about_CimLite_WQL").ThrowIfErrors().Values.Select(v => v?.ToString()));
        Assert.Contains("[NOT] LIKE", text);
        Assert.Contains("[a-z]", text);
        Assert.Contains("[^a]", text);
    }

    /// <summary>
    /// Each block's non-blank lines appear on the screen (indented as Get-Help indents code), consecutively
    /// apart from blank lines, and the blocks in page order.
    /// </summary>
    private static void AssertShows(string screen, IEnumerable<string> blocks, string page)
    {
        var shown = screen.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        int from = 0;
        foreach (var block in blocks)
        {
            var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            int at = -1;
            for (int i = from; i + lines.Count <= shown.Count && at < 0; i++)
            {
                if (shown.Skip(i).Take(lines.Count).SequenceEqual(lines))
                    at = i;
            }

            Assert.True(at >= 0, $"{page}: Get-Help does not show this output block (after line {from}):\n{block}\n--- Get-Help shows ---\n{screen}");
            from = at + lines.Count;
        }
    }

    [Fact]
    public void Get_Help_about_CimLite_shows_the_about_topic()
    {
        using var host = new HostedRunspace();
        var text = string.Join("\n", host.Invoke("Get-Help about_CimLite").ThrowIfErrors().Values.Select(v => v?.ToString()));
        Assert.Contains("about_CimLite", text);
        Assert.Contains("SHORT DESCRIPTION", text);
    }

    private static string[] AboutTopicNames() =>
        System.IO.Directory.GetFiles(System.IO.Path.Combine(HelpPages.RepositoryRoot(), "docs", "help"), "about_*.md")
            .Select(f => System.IO.Path.GetFileNameWithoutExtension(f)!).OrderBy(f => f, System.StringComparer.Ordinal).ToArray();

    public static TheoryData<string> AboutTopics() => new TheoryData<string>(AboutTopicNames());

    [Fact]
    public void The_about_topics_include_providers_and_WQL()
    {
        var topics = AboutTopicNames();
        Assert.Contains("about_CimLite_Providers", topics);
        Assert.Contains("about_CimLite_WQL", topics);
    }

    [Theory]
    [MemberData(nameof(AboutTopics))]
    public void Every_about_page_is_published_and_shown_by_Get_Help(string topic)
    {
        Assert.True(System.IO.File.Exists(System.IO.Path.Combine(HostedRunspace.ModuleDirectory, "en-US", topic + ".help.txt")), topic + ".help.txt was not generated");
        using var host = new HostedRunspace();
        var text = string.Join("\n", host.Invoke("Get-Help -Name $Name", new System.Collections.Hashtable { ["Name"] = topic }).ThrowIfErrors().Values.Select(v => v?.ToString()));
        Assert.Contains(topic, text);
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.Contains("LONG DESCRIPTION", text);
        Assert.Contains("SEE ALSO", text);
    }

    [Fact]
    public void about_CimLite_links_the_other_topics_and_they_cover_their_subjects()
    {
        using var host = new HostedRunspace();
        string Help(string name) => string.Join("\n", host.Invoke("Get-Help -Name $Name", new System.Collections.Hashtable { ["Name"] = name }).ThrowIfErrors().Values.Select(v => v?.ToString()));
        var overview = Help("about_CimLite");
        Assert.Contains("about_CimLite_Providers", overview);
        Assert.Contains("about_CimLite_WQL", overview);
        var providers = Help("about_CimLite_Providers");
        Assert.Contains("COPY-ON-POST", providers.ToUpperInvariant());
        Assert.Contains("Receive-CimLitePosted", providers);
        var wql = Help("about_CimLite_WQL");
        Assert.Contains("INVALID_QUERY", wql);
        Assert.Contains("LIKE", wql);
    }
}
