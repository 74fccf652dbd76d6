using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>
    /// The cimlite shell in a pseudo-terminal: a tmux server of its own (tmux -S) running one window, driven
    /// with send-keys and read with capture-pane, so the console sees a real terminal as a user's would.
    /// </summary>
    public sealed class TmuxSession : IDisposable
    {
        // A socket of its own (tmux -S), removed on Dispose: tmux leaves the file behind after kill-server.
        private readonly string socket = Path.Combine(Path.GetTempPath(), "cimlite-tmux-" + Guid.NewGuid().ToString("N") + ".sock");

        private TmuxSession()
        {
        }

        /// <summary>tmux on PATH, or null.</summary>
        public static string? TmuxPath { get; } = FindTmux();

        /// <summary>The text of the window, one string per row, trailing blanks removed.</summary>
        public string[] Screen => Tmux("capture-pane", "-p", "-t", "main").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();

        /// <summary>The last row that is not blank: where the line being edited is.</summary>
        public string LastLine => Screen.LastOrDefault(l => l.Length > 0) ?? string.Empty;

        /// <summary>
        /// Starts <c>cimlite <paramref name="arguments"/></c> in a <paramref name="width"/> x <paramref name="height"/>
        /// terminal in <paramref name="workingDirectory"/>, with NO_COLOR and <paramref name="environment"/> set,
        /// and waits for its first prompt.
        /// </summary>
        public static TmuxSession Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, int width = 100, int height = 30, params string[] arguments)
        {
            var session = new TmuxSession();
            var command = new List<string> { "new-session", "-d", "-s", "main", "-x", width.ToString(), "-y", height.ToString(), "-c", workingDirectory, "env", "NO_COLOR=1" };
            command.AddRange(environment.Select(pair => pair.Key + "=" + pair.Value));
            command.Add(ShellTests.DotnetHost());
            command.Add(ShellTests.ShellPath);
            command.AddRange(arguments);
            session.Tmux(command.ToArray());
            session.WaitForEmptyPrompt();
            return session;
        }

        /// <summary>Types <paramref name="text"/> literally.</summary>
        public void Type(string text) => Tmux("send-keys", "-t", "main", "-l", text);

        /// <summary>Presses keys by tmux name (Tab, BTab, Enter, Left, Home, BSpace, DC, C-c, …), waiting a little after each.</summary>
        public void Press(params string[] keys)
        {
            foreach (string key in keys)
            {
                Tmux("send-keys", "-t", "main", key);
                Thread.Sleep(150);
            }
        }

        /// <summary>Waits until the last non-blank row is a prompt with nothing typed after it.</summary>
        public void WaitForEmptyPrompt() =>
            WaitFor(_ => IsPrompt(LastLine) && LastLine.EndsWith('>'), "an empty prompt");

        /// <summary>Waits until the last non-blank row is <paramref name="expected"/>.</summary>
        public void WaitForLastLine(string expected) => WaitFor(_ => LastLine == expected, "last line '" + expected + "'");

        /// <summary>Polls the screen until <paramref name="condition"/> holds; fails with the screen after 30 s.</summary>
        public void WaitFor(Func<string[], bool> condition, string what)
        {
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            string[] screen = Screen;
            while (!condition(screen))
            {
                Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what + "; the screen:\n" + string.Join("\n", screen));
                Thread.Sleep(100);
                screen = Screen;
            }
        }

        /// <summary>
        /// The line being edited: the text after the last prompt, with the rows it wrapped onto joined (rows
        /// of a wrapped line are full, so joining them gives the line back).
        /// </summary>
        public string InputLine
        {
            get
            {
                string[] screen = Screen;
                int row = Array.FindLastIndex(screen, IsPrompt);
                if (row < 0)
                {
                    return string.Empty;
                }

                string prompt = screen[row];
                int end = prompt.IndexOf("> ", StringComparison.Ordinal);
                string first = end > 0 ? prompt.Substring(end + 2) : string.Empty;
                return first + string.Concat(screen.Skip(row + 1));
            }
        }

        public static bool IsPrompt(string row) => row.StartsWith("PS ", StringComparison.Ordinal) && (row.EndsWith('>') || row.Contains("> ", StringComparison.Ordinal));

        public void Dispose()
        {
            try
            {
                Tmux("kill-server");
            }
            catch (InvalidOperationException)
            {
                // Already gone with its last window.
            }

            File.Delete(socket);
        }

        private string Tmux(params string[] arguments)
        {
            var start = new ProcessStartInfo(TmuxPath ?? "tmux")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-S");
            start.ArgumentList.Add(socket);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start tmux");
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("tmux " + string.Join(" ", arguments) + " failed: " + error);
            }

            return output;
        }

        private static string? FindTmux()
        {
            if (OperatingSystem.IsWindows())
            {
                return null;
            }

            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, "tmux");
                if (dir.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    /// <summary>A fact that needs tmux: skipped, with the reason, only where tmux cannot be (Windows) or is not installed.</summary>
    public sealed class TmuxFactAttribute : FactAttribute
    {
        public TmuxFactAttribute()
        {
            if (TmuxSession.TmuxPath == null)
            {
                Skip = OperatingSystem.IsWindows()
                    ? "tmux (the pseudo-terminal these tests drive) does not run on Windows"
                    : "tmux is not installed (apt-get install tmux; .ci/run installs it)";
            }
        }
    }
}
