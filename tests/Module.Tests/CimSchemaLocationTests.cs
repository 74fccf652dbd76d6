using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests;

/// <summary>
/// The rule for where the DMTF CIM Schema is lives in tests/Shared/CimSchemaLocation.cs (engine tests, module
/// tests, bench) and in tests/Pester/CimLite.TestSetup.ps1 (the Pester files): both give the same answer.
/// </summary>
public sealed class CimSchemaLocationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cimlite-schema-location-" + Guid.NewGuid().ToString("N"));
    private readonly HostedRunspace _host = new HostedRunspace(); // with CimLite imported, the setup file imports nothing

    public CimSchemaLocationTests()
    {
        Directory.CreateDirectory(_dir);
        _host.Invoke(". $setup", new Hashtable { ["setup"] = Path.Combine(RepositoryPaths.Root, "tests", "Pester", "CimLite.TestSetup.ps1") }).ThrowIfErrors();
    }

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Folder(string name, params string[] files)
    {
        string folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        foreach (string f in files) File.WriteAllText(Path.Combine(folder, f), "// test\n");
        return folder;
    }

    private (string? Folder, string? RootFile, string? Reason) FromPester(string? variable, string root)
    {
        PSObject o = _host.Invoke("Get-CimLiteTestCimSchema -Variable $v -RepositoryRoot $r", new Hashtable { ["v"] = variable ?? "", ["r"] = root })
            .ThrowIfErrors().Output.Single();
        return ((string?)o.Properties["Folder"].Value, (string?)o.Properties["RootFile"].Value, (string?)o.Properties["Reason"].Value);
    }

    private void AssertAgree(string? variable, string root, bool found)
    {
        var cs = CimSchemaLocation.Resolve(variable, root);
        var ps = FromPester(variable, root);
        Assert.Equal(cs.Folder, ps.Folder);
        Assert.Equal(cs.RootFile, ps.RootFile);
        Assert.Equal(cs.Reason, ps.Reason);
        Assert.Equal(found, cs.RootFile != null);
        if (!found) Assert.Contains("CIMLITE_CIM_SCHEMA", cs.Reason);
    }

    [Fact]
    public void The_variable_names_a_folder_whose_root_holds_one_cim_schema_file()
    {
        string noShared = Folder("repo-alone");
        string good = Folder("good", "cim_schema_9.9.9.mof", "qualifiers.mof");
        AssertAgree(good, noShared, found: true);
        Assert.Equal(Path.Combine(good, "cim_schema_9.9.9.mof"), CimSchemaLocation.Resolve(good, noShared).RootFile);
        AssertAgree(Folder("empty", "qualifiers.mof"), noShared, found: false);
        AssertAgree(Folder("two", "cim_schema_1.mof", "cim_schema_2.mof"), noShared, found: false);
        AssertAgree(Path.Combine(_dir, "missing"), noShared, found: false);
    }

    [Fact]
    public void Without_the_variable_the_shared_folder_beside_the_repository_is_used_if_it_exists()
    {
        string repo = Folder(Path.Combine("parent", "repo"));
        AssertAgree(null, repo, found: false);
        string shared = Folder(Path.Combine("parent", "shared", "data", "cim-schema-2.32.0"), "cim_schema_2.32.0.mof");
        AssertAgree(null, repo, found: true);
        Assert.Equal(shared, CimSchemaLocation.Resolve(null, repo).Folder);
        // The variable wins over the shared folder, even when it is wrong (the reason names it).
        AssertAgree(Path.Combine(_dir, "missing"), repo, found: false);
    }

    [Fact]
    public void In_this_run_both_find_the_same_schema_or_none()
    {
        var ps = _host.Invoke("Get-CimLiteTestCimSchema").ThrowIfErrors().Output.Single();
        Assert.Equal(CimSchemaLocation.RootFile, (string?)ps.Properties["RootFile"].Value);
        Assert.Equal(CimSchemaLocation.Required, (bool)ps.Properties["Required"].Value);
        // Without a schema a test is skipped unless the schema is required; with one nothing is skipped.
        Assert.Equal(CimSchemaLocation.RootFile == null && !CimSchemaLocation.Required, CimSchemaLocation.SkipReasonIfAbsent != null);
    }
}
