using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CimLite.Tests.TestUtilities;
using Xunit;

namespace CimLite.Tests
{
    /// <summary>
    /// cimlite's line editor (src/Shell/LineEditor.cs) as a user meets it: the shell runs interactively in a
    /// tmux pseudo-terminal, keys are typed, and the screen is read back.
    /// </summary>
    public sealed class ShellLineEditorTests : IDisposable
    {
        private readonly string directory;
        private readonly Dictionary<string, string> environment;

        public ShellLineEditorTests()
        {
            // Short: the prompt shows it, and must fit the narrow window of the wrapping test.
            directory = Path.Combine(Path.GetTempPath(), "cl-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(directory);
            environment = new Dictionary<string, string> { ["CIMLITE_REPOSITORY"] = Path.Combine(directory, "repository.db") };
        }

        public void Dispose() => Directory.Delete(directory, recursive: true);

        [TmuxFact]
        public void Tab_completes_a_CimLite_command_and_Shift_Tab_cycles_back()
        {
            using TmuxSession shell = TmuxSession.Start(directory, environment, arguments: "-NoProfile");

            shell.Type("Get-CimLite");
            shell.Press("Tab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteAssociatedInstance", "the first completion");
            shell.Press("Tab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteClass", "the second completion");
            shell.Press("Tab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteInstance", "the third completion");
            shell.Press("BTab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteClass", "Shift+Tab: back to the second");
            shell.Press("BTab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteAssociatedInstance", "Shift+Tab: back to the first");

            // A new cycle starts from what is typed: a parameter name of the completed command, then run it.
            shell.Press("C-c");
            shell.WaitForEmptyPrompt();
            shell.Type("Get-CimLiteSess");
            shell.Press("Tab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteSession", "the command name");
            shell.Type(" -Defa");
            shell.Press("Tab");
            shell.WaitFor(_ => shell.InputLine == "Get-CimLiteSession -Default", "the parameter name");
            shell.Type(" | % Path");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains(environment["CIMLITE_REPOSITORY"]), "the completed command's output");
        }

        [TmuxFact]
        public void Editing_keys_change_the_line_where_the_cursor_is()
        {
            using TmuxSession shell = TmuxSession.Start(directory, environment, arguments: "-NoProfile");

            shell.Type("'abc'");
            shell.Press("Left", "BSpace");       // 'ab'   (the c before the closing quote goes)
            shell.Type("Q");                      // 'abQ'
            shell.Press("Home", "DC");           // abQ'   (Delete takes the opening quote)
            shell.Type("'");                      // 'abQ'
            shell.Press("Right");                 // after 'a
            shell.Type("Z");                      // 'aZbQ'
            shell.Press("End");
            shell.Type("+'!'");
            shell.WaitFor(_ => shell.InputLine == "'aZbQ'+'!'", "the edited line");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains("aZbQ!"), "the edited line's output");

            shell.Type("'discarded'");
            shell.Press("Escape");
            shell.WaitFor(_ => shell.InputLine.Length == 0, "Escape clearing the line");
        }

        [TmuxFact]
        public void Up_and_Down_walk_this_sessions_history_and_come_back_to_the_typed_line()
        {
            using TmuxSession shell = TmuxSession.Start(directory, environment, arguments: "-NoProfile");

            shell.Type("'first' + 1");
            shell.Press("Enter");
            shell.WaitForEmptyPrompt();
            shell.Type("'second' + 2");
            shell.Press("Enter");
            shell.WaitForEmptyPrompt();

            shell.Type("typed");
            shell.Press("Up");
            shell.WaitFor(_ => shell.InputLine == "'second' + 2", "the last command");
            shell.Press("Up");
            shell.WaitFor(_ => shell.InputLine == "'first' + 1", "the command before");
            shell.Press("Up");
            shell.WaitFor(_ => shell.InputLine == "'first' + 1", "staying on the oldest");
            shell.Press("Down");
            shell.WaitFor(_ => shell.InputLine == "'second' + 2", "Down: the last command");
            shell.Press("Down");
            shell.WaitFor(_ => shell.InputLine == "typed", "Down: the line being typed");

            // A recalled line runs as it is shown.
            shell.Press("Up", "Up", "End");
            shell.Type("0");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains("first10"), "the recalled, edited command's output");
        }

        [TmuxFact]
        public void Ctrl_C_abandons_the_line_and_the_session_goes_on()
        {
            using TmuxSession shell = TmuxSession.Start(directory, environment, arguments: "-NoProfile");

            shell.Type("'never' + 'shown'");
            // Wait for the echo first: on a loaded machine the keys may not be read yet, and the start-up prompt would
            // pass for the empty prompt after Ctrl+C.
            shell.WaitFor(_ => shell.InputLine == "'never' + 'shown'", "the typed line");
            shell.Press("C-c");
            shell.WaitFor(screen => screen.Any(row => row.EndsWith("'never' + 'shown'^C", StringComparison.Ordinal)), "the abandoned line marked ^C");
            shell.WaitForEmptyPrompt();
            Assert.Contains(shell.Screen, row => row.EndsWith("'never' + 'shown'^C", StringComparison.Ordinal));
            shell.Type("'after' + 'wards'");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains("afterwards"), "the next command's output");
            Assert.DoesNotContain("nevershown", shell.Screen);
        }

        [TmuxFact]
        public void A_line_longer_than_the_window_wraps_and_edits_at_the_bottom_of_the_screen()
        {
            using TmuxSession shell = TmuxSession.Start(directory, environment, width: 40, height: 8, arguments: "-NoProfile");

            shell.Type("1..6");
            shell.Press("Enter");   // fills the small window, so the long line below scrolls it
            shell.WaitForEmptyPrompt();
            string letters = new string('a', 70);
            shell.Type("'" + letters + "'.Length");
            shell.Press(Enumerable.Repeat("Left", 8).ToArray());   // before the closing quote, a row up
            shell.Type("bc");
            shell.Press("Home", "Right", "DC");                       // one a fewer
            shell.WaitFor(_ => shell.InputLine == "'" + new string('a', 69) + "bc'.Length", "the edited, wrapped line");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains("71"), "the length of 69 a's and bc");
        }

        [TmuxFact]
        public void PSReadLine_replaces_the_line_editor_when_it_can_be_imported()
        {
            // A stand-in PSReadLine on PSModulePath: its PSConsoleHostReadLine upper-cases what it reads.
            string modules = Path.Combine(directory, "Modules", "PSReadLine");
            Directory.CreateDirectory(modules);
            File.WriteAllText(
                Path.Combine(modules, "PSReadLine.psm1"),
                "function PSConsoleHostReadLine { [Console]::ReadLine().ToUpperInvariant() }\nExport-ModuleMember -Function PSConsoleHostReadLine\n");
            var withPSReadLine = new Dictionary<string, string>(environment) { ["PSModulePath"] = Path.Combine(directory, "Modules") };
            using TmuxSession shell = TmuxSession.Start(directory, withPSReadLine, arguments: "-NoProfile");

            shell.Type("(Get-Command PSConsoleHostReadLine).Source + ':' + 'x'");
            shell.Press("Enter");
            shell.WaitFor(screen => screen.Contains("PSReadLine:X"), "the stand-in's function reading the line");
            Assert.DoesNotContain(shell.Screen, row => row.Contains("Cannot load PSReadline", StringComparison.OrdinalIgnoreCase));
        }
    }
}
