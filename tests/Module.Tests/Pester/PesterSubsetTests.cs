using System;
using System.IO;
using System.Linq;
using Xunit;

namespace CimLite.Tests.Pester;

/// <summary>Self-tests of the Pester subset runner, using small inline test files.</summary>
public sealed class PesterSubsetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "PesterSubsetTests", Guid.NewGuid().ToString("N"));

    public PesterSubsetTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private PesterFileResult RunScript(string script, PesterRunOptions? options = null, string name = "Inline.Tests.ps1")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, script);
        return PesterFileRunner.Run(path, options);
    }

    private static void AssertOutcome(PesterFileResult result, string fullName, PesterOutcome expected)
    {
        var test = result.Tests.SingleOrDefault(t => t.FullName == fullName);
        Assert.True(test is not null, $"No result named '{fullName}'.{Environment.NewLine}{result}");
        Assert.True(test!.Outcome == expected, $"'{fullName}' was {test.Outcome}, expected {expected}.{Environment.NewLine}{result}");
    }

    [Theory]
    [InlineData("1 | Should -Be 1", "1 | Should -Be 2", "Expected 2, but got 1.")]
    [InlineData("'abc' | Should -Be 'ABC'", "'abc' | Should -Be 'abd'", "Expected strings to be the same, but they were different.")]
    [InlineData("@(1,2) | Should -Be @(1,2)", "@(1,2) | Should -Be @(1,3)", "Expected @(1, 3), but got @(1, 2).")]
    [InlineData("'abc' | Should -BeExactly 'abc'", "'abc' | Should -BeExactly 'ABC'", "Expected strings to be the same")]
    [InlineData("2 | Should -Not -Be 1", "1 | Should -Not -Be 1", "Expected 1 to be different from the actual value, but got the same value.")]
    [InlineData("'abc' | Should -Not -BeExactly 'ABC'", "'abc' | Should -Not -BeExactly 'abc'", "but got exactly the same value.")]
    [InlineData("$null | Should -BeNullOrEmpty; '' | Should -BeNullOrEmpty; @() | Should -BeNullOrEmpty", "'x' | Should -BeNullOrEmpty", "Expected $null or empty, but got 'x'.")]
    [InlineData("'x' | Should -Not -BeNullOrEmpty", "@() | Should -Not -BeNullOrEmpty", "Expected a value, but got $null or empty.")]
    [InlineData("$true | Should -BeTrue; 1 | Should -BeTrue", "$false | Should -BeTrue", "Expected $true, but got $false.")]
    [InlineData("$false | Should -BeFalse; $true | Should -Not -BeFalse", "$true | Should -BeFalse", "Expected $false, but got $true.")]
    [InlineData("@(1,2,3) | Should -HaveCount 3; @() | Should -HaveCount 0", "@(1,2) | Should -HaveCount 3", "Expected a collection with size 3, but got collection with size 2 @(1, 2).")]
    [InlineData("@(1,2) | Should -Not -HaveCount 3", "@(1,2) | Should -Not -HaveCount 2", "Expected a collection with size different from 2")]
    [InlineData("@(1,2,3) | Should -Contain 2", "@(1,2,3) | Should -Contain 4", "Expected 4 to be found in collection @(1, 2, 3), but it was not found.")]
    [InlineData("@(1,2,3) | Should -Not -Contain 4", "@(1,2,3) | Should -Not -Contain 2", "Expected 2 to not be found in collection @(1, 2, 3), but it was found.")]
    [InlineData("'hello' | Should -Match '^h.l'", "'hello' | Should -Match '^x'", "Expected regular expression '^x' to match 'hello', but it did not match.")]
    [InlineData("'hello' | Should -Not -Match '^x'", "'hello' | Should -Not -Match 'ell'", "to not match 'hello', but it did match.")]
    [InlineData("'a' | Should -BeOfType [string]; 1 | Should -BeOfType System.Int32; 1 | Should -BeOfType [ValueType]", "1 | Should -BeOfType [string]", "Expected the value to have type [System.String] or any of its subtypes, but got 1 with type [System.Int32].")]
    [InlineData("1 | Should -Not -BeOfType [string]", "'a' | Should -Not -BeOfType [string]", "to not have type [System.String]")]
    [InlineData("3 | Should -BeGreaterThan 2", "2 | Should -BeGreaterThan 2", "Expected the actual value to be greater than 2, but got 2.")]
    [InlineData("2 | Should -Not -BeGreaterThan 2", "3 | Should -Not -BeGreaterThan 2", "to be less than or equal to 2, but got 3.")]
    [InlineData("1 | Should -BeLessThan 2", "2 | Should -BeLessThan 2", "Expected the actual value to be less than 2, but got 2.")]
    [InlineData("2 | Should -Not -BeLessThan 2", "1 | Should -Not -BeLessThan 2", "to be greater than or equal to 2, but got 1.")]
    [InlineData("{ throw 'x' } | Should -Throw", "{ 1 } | Should -Throw", "Expected an exception to be thrown, but no exception was thrown.")]
    [InlineData("{ 1 } | Should -Not -Throw", "{ throw 'bad' } | Should -Not -Throw", "Expected no exception to be thrown, but an exception \"bad\" was thrown.")]
    [InlineData("{ throw 'File not found: a.txt' } | Should -Throw -ExpectedMessage 'File not found*'", "{ throw 'other' } | Should -Throw -ExpectedMessage 'File not found*'", "Expected an exception with message like 'File not found*' to be thrown, but the message was 'other'.")]
    [InlineData("{ throw 'exact' } | Should -Throw 'EXACT'", "{ throw 'exact match' } | Should -Throw 'exact'", "but the message was 'exact match'.")]
    [InlineData("{ throw [System.ArgumentException]::new('a') } | Should -Throw -ExceptionType ([System.ArgumentException])", "{ throw 'a' } | Should -Throw -ExceptionType ([System.ArgumentException])", "Expected an exception with type [System.ArgumentException] to be thrown, but the exception type was [System.Management.Automation.RuntimeException].")]
    [InlineData("1 | Should -Be 1 -Because 'it must'", "1 | Should -Be 2 -Because 'it must'", "Expected 2, because it must, but got 1.")]
    [InlineData("Should -ActualValue 1 -Be 1", "Should -ActualValue 1 -Be 2", "Expected 2, but got 1.")]
    public void OperatorPassesAndFails(string passing, string failing, string expectedMessage)
    {
        var result = RunScript($$"""
            Describe 'Op' {
                It 'passes' { {{passing}} }
                It 'fails' { {{failing}} }
            }
            """);

        AssertOutcome(result, "Op > passes", PesterOutcome.Passed);
        AssertOutcome(result, "Op > fails", PesterOutcome.Failed);
        var message = result.Single("Op > fails").Message ?? string.Empty;
        Assert.Contains(expectedMessage, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowErrorIdIsMatchedWithLikeAgainstFullyQualifiedErrorId()
    {
        // Pester 5: "$actualErrorId -like $ErrorId" (whole-string wildcard match, case-insensitive).
        var result = RunScript("""
            Describe 'ErrorId' {
                BeforeAll {
                    function Invoke-Failing {
                        [CmdletBinding()] param()
                        $er = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('nope'), 'MyError', 'InvalidOperation', $null)
                        $PSCmdlet.ThrowTerminatingError($er)
                    }
                }
                It 'exact' { { Invoke-Failing } | Should -Throw -ErrorId 'MyError,Invoke-Failing' }
                It 'wildcard' { { Invoke-Failing } | Should -Throw -ErrorId 'myerror,*' }
                It 'prefix only fails' { { Invoke-Failing } | Should -Throw -ErrorId 'MyError' }
                It 'wrong id' { { Invoke-Failing } | Should -Throw -ErrorId 'Other*' }
                It 'id and message' { { Invoke-Failing } | Should -Throw -ErrorId 'MyError,*' -ExpectedMessage 'no*' }
                It 'id ok, message wrong' { { Invoke-Failing } | Should -Throw -ErrorId 'MyError,*' -ExpectedMessage 'yes' }
                It 'passthru' {
                    $e = { Invoke-Failing } | Should -Throw -ErrorId 'MyError,*' -PassThru
                    $e | Should -BeOfType [System.Management.Automation.ErrorRecord]
                    $e.Exception.Message | Should -Be 'nope'
                    $e.FullyQualifiedErrorId | Should -BeExactly 'MyError,Invoke-Failing'
                }
            }
            """);

        AssertOutcome(result, "ErrorId > exact", PesterOutcome.Passed);
        AssertOutcome(result, "ErrorId > wildcard", PesterOutcome.Passed);
        AssertOutcome(result, "ErrorId > prefix only fails", PesterOutcome.Failed);
        AssertOutcome(result, "ErrorId > wrong id", PesterOutcome.Failed);
        AssertOutcome(result, "ErrorId > id and message", PesterOutcome.Passed);
        AssertOutcome(result, "ErrorId > id ok, message wrong", PesterOutcome.Failed);
        AssertOutcome(result, "ErrorId > passthru", PesterOutcome.Passed);
        Assert.Contains(
            "Expected an exception with FullyQualifiedErrorId 'Other*' to be thrown, but the FullyQualifiedErrorId was 'MyError,Invoke-Failing'.",
            result.Single("ErrorId > wrong id").Message,
            StringComparison.Ordinal);
        Assert.Contains("but the message was 'nope'", result.Single("ErrorId > id ok, message wrong").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipAndTestCasesWithPlaceholders()
    {
        var result = RunScript("""
            Describe 'D' {
                It 'is skipped' -Skip { throw 'must not run' }
                It 'adds <a> + <b> = <expected>' -TestCases @(
                    @{ a = 1; b = 2; expected = 3 }
                    @{ a = 2; b = 2; expected = 5 }
                ) {
                    $a + $b | Should -Be $expected
                }
                It 'item <_> is a letter' -ForEach @('x', 'y') { $_ | Should -Match '^[a-z]$' }
                It 'nested <user.name>' -ForEach @(@{ user = @{ name = 'ann' } }) { $user.name | Should -Be 'ann' }
            }
            Describe 'Skipped block' -Skip {
                It 'inner' { throw 'must not run' }
            }
            """);

        AssertOutcome(result, "D > is skipped", PesterOutcome.Skipped);
        AssertOutcome(result, "D > adds 1 + 2 = 3", PesterOutcome.Passed);
        AssertOutcome(result, "D > adds 2 + 2 = 5", PesterOutcome.Failed);
        Assert.Contains("Expected 5, but got 4.", result.Single("D > adds 2 + 2 = 5").Message, StringComparison.Ordinal);
        AssertOutcome(result, "D > item x is a letter", PesterOutcome.Passed);
        AssertOutcome(result, "D > item y is a letter", PesterOutcome.Passed);
        AssertOutcome(result, "D > nested ann", PesterOutcome.Passed);
        AssertOutcome(result, "Skipped block > inner", PesterOutcome.Skipped);
    }

    [Fact]
    public void SetupAndTeardownRunInPesterOrder()
    {
        var result = RunScript("""
            $global:log = [System.Collections.Generic.List[string]]::new()
            $global:log.Add('discovery')
            BeforeAll { $global:log.Add('root BeforeAll') }
            Describe 'Outer' {
                $global:log.Add('outer body (discovery)')
                BeforeAll { $global:log.Add('outer BeforeAll'); $outerVar = 'o' }
                AfterAll { $global:log.Add('outer AfterAll') }
                BeforeEach { $global:log.Add('outer BeforeEach'); $eachVar = 'e' }
                AfterEach { $global:log.Add('outer AfterEach') }
                It 'first' { $global:log.Add('It first'); $outerVar | Should -Be 'o'; $eachVar | Should -Be 'e'; $leak = 1 }
                Context 'Inner' {
                    BeforeAll { $global:log.Add('inner BeforeAll'); $innerVar = 'i' }
                    AfterAll { $global:log.Add('inner AfterAll') }
                    BeforeEach { $global:log.Add('inner BeforeEach') }
                    AfterEach { $global:log.Add('inner AfterEach') }
                    It 'second' { $global:log.Add('It second'); $outerVar + $innerVar | Should -Be 'oi'; $leak | Should -BeNullOrEmpty }
                }
                It 'third' { $global:log.Add('It third'); $innerVar | Should -BeNullOrEmpty; $leak | Should -BeNullOrEmpty }
            }
            Describe 'Check' {
                It 'order' {
                    $global:log -join '|' | Should -Be (@(
                        'discovery', 'outer body (discovery)',
                        'root BeforeAll',
                        'outer BeforeAll',
                        'outer BeforeEach', 'It first', 'outer AfterEach',
                        'inner BeforeAll',
                        'outer BeforeEach', 'inner BeforeEach', 'It second', 'inner AfterEach', 'outer AfterEach',
                        'inner AfterAll',
                        'outer BeforeEach', 'It third', 'outer AfterEach',
                        'outer AfterAll'
                    ) -join '|')
                }
            }
            """);

        Assert.True(result.Failed.Count() == 0, result.ToString());
        Assert.Equal(4, result.Passed.Count());
    }

    [Fact]
    public void BeforeAllFailureFailsAllItsOfTheBlock()
    {
        var result = RunScript("""
            Describe 'Broken' {
                BeforeAll { throw 'setup exploded' }
                It 'a' { 1 | Should -Be 1 }
                Context 'nested' {
                    It 'b' { 1 | Should -Be 1 }
                }
            }
            Describe 'Fine' {
                It 'c' { 1 | Should -Be 1 }
            }
            """);

        AssertOutcome(result, "Broken > a", PesterOutcome.Failed);
        AssertOutcome(result, "Broken > nested > b", PesterOutcome.Failed);
        AssertOutcome(result, "Fine > c", PesterOutcome.Passed);
        Assert.Contains("setup exploded", result.Single("Broken > a").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailureReportsPositionAndNonShouldErrors()
    {
        var result = RunScript("""
            Describe 'Pos' {
                It 'fails on line 3' {
                    1 | Should -Be 2
                }
                It 'throws' { [int]::Parse('nope') }
            }
            """);

        var failing = result.Single("Pos > fails on line 3");
        Assert.Equal(3, failing.Line);
        Assert.EndsWith("Inline.Tests.ps1", failing.File, StringComparison.Ordinal);
        AssertOutcome(result, "Pos > throws", PesterOutcome.Failed);
        Assert.Contains("nope", result.Single("Pos > throws").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptRootTestDriveAndPrepareHook()
    {
        var options = new PesterRunOptions
        {
            Prepare = rs => rs.SessionStateProxy.SetVariable("fromHost", "hosted"),
        };
        options.Variables["fromVariables"] = 7;
        var result = RunScript(
            """
            Describe 'Env' {
                BeforeAll {
                    $file = [System.IO.Path]::Combine($TestDrive, 'a.txt')
                    [System.IO.File]::WriteAllText($file, 'content')
                }
                It 'script root' {
                    $PSScriptRoot | Should -Be ([System.IO.Path]::GetDirectoryName($PSCommandPath))
                    [System.IO.Path]::GetFileName($PSCommandPath) | Should -Be 'Env.Tests.ps1'
                }
                It 'test drive' { [System.IO.File]::ReadAllText($file) | Should -Be 'content' }
                It 'host hook' { $fromHost | Should -Be 'hosted'; $fromVariables | Should -Be 7 }
                AfterAll { $global:drive = $TestDrive }
            }
            Describe 'After' {
                It 'test drive removed' { [System.IO.Directory]::Exists($global:drive) | Should -BeFalse }
            }
            """,
            options,
            "Env.Tests.ps1");

        Assert.True(result.Failed.Count() == 0, result.ToString());
        Assert.Equal(4, result.Passed.Count());
    }

    [Fact]
    public void DiscoveryErrorIsReported()
    {
        var result = RunScript("""
            Describe 'Bad' {
                throw 'discovery failed here'
                It 'never' { }
            }
            """);

        var failed = Assert.Single(result.Failed);
        Assert.Contains("discovery failed here", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineInputIsCollected()
    {
        var result = RunScript("""
            Describe 'Pipe' {
                It 'array to Be compares element-wise' { 1, 2, 3 | Should -Be @(1, 2, 3) }
                It 'single element array equals scalar' { @(5) | Should -Be 5 }
                It 'each element checked for non-array operators' { 1, 2, 30 | Should -BeLessThan 10 }
                It 'empty input counts 0' { @() | Should -HaveCount 0 }
            }
            """);

        AssertOutcome(result, "Pipe > array to Be compares element-wise", PesterOutcome.Passed);
        AssertOutcome(result, "Pipe > single element array equals scalar", PesterOutcome.Passed);
        AssertOutcome(result, "Pipe > each element checked for non-array operators", PesterOutcome.Failed);
        AssertOutcome(result, "Pipe > empty input counts 0", PesterOutcome.Passed);
    }

    [Fact]
    public void ModulesToImportAreAvailableAndRunnerInternalsDoNotShadowUserVariables()
    {
        var modulePath = Path.Combine(_dir, "Helper.psm1");
        File.WriteAllText(modulePath, "function Get-HelperValue { 'from module' }");
        var options = new PesterRunOptions();
        options.ModulesToImport.Add(modulePath);
        var result = RunScript(
            """
            Describe 'Module' {
                BeforeAll { $ExpectedValue = 5; $ActualValue = 6; $Name = 'mine'; $Test = 't' }
                It 'imported' { Get-HelperValue | Should -Be 'from module' }
                It 'no shadowing inside Should -Throw' {
                    { if ($ExpectedValue -ne 5 -or $ActualValue -ne 6 -or $Name -ne 'mine' -or $Test -ne 't') { throw 'shadowed' } } | Should -Not -Throw
                    $Name | Should -Be 'mine'
                }
            }
            """,
            options);

        Assert.True(result.Failed.Count() == 0, result.ToString());
        Assert.Equal(2, result.Passed.Count());
    }

    [Fact]
    public void DiscoveryTimeVariablesAreNotVisibleAtRunTimeLikePester5()
    {
        var result = RunScript("""
            $atDiscovery = 'd'
            Describe 'Scopes' {
                $inBody = 'b'
                It 'does not see discovery-time variables' {
                    $atDiscovery | Should -BeNullOrEmpty
                    $inBody | Should -BeNullOrEmpty
                }
            }
            """);

        Assert.True(result.Failed.Count() == 0, result.ToString());
    }

    [Fact]
    public void AfterAllAndAfterEachFailuresAreReported()
    {
        var result = RunScript("""
            Describe 'Teardown' {
                AfterAll { throw 'afterall broke' }
                Context 'each' {
                    AfterEach { throw 'aftereach broke' }
                    It 'body passes' { 1 | Should -Be 1 }
                }
            }
            """);

        var body = result.Single("Teardown > each > body passes");
        Assert.Equal(PesterOutcome.Failed, body.Outcome);
        Assert.Contains("aftereach broke", body.Message, StringComparison.Ordinal);
        var afterAll = result.Single("Teardown > AfterAll");
        Assert.Equal(PesterOutcome.Failed, afterAll.Outcome);
        Assert.Contains("afterall broke", afterAll.Message, StringComparison.Ordinal);
    }
}
