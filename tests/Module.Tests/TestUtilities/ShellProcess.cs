using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>A `cimlite -Command` child process with CIMLITE_REPOSITORY set; stdout collected line by line.</summary>
    public sealed class ShellProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = new List<string>();
        private readonly System.Text.StringBuilder _stderr = new System.Text.StringBuilder();
        private readonly ManualResetEventSlim _outClosed = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _errClosed = new ManualResetEventSlim(false);

        private ShellProcess(string repository, string command, IReadOnlyDictionary<string, string>? environment)
        {
            var start = new ProcessStartInfo(ShellTests.DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            start.ArgumentList.Add(ShellTests.ShellPath);
            start.ArgumentList.Add("-Command");
            start.ArgumentList.Add(command);
            start.Environment["NO_COLOR"] = "1";
            start.Environment["CIMLITE_REPOSITORY"] = repository;
            if (environment != null) foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null) { _outClosed.Set(); return; }
                lock (_lines) { _lines.Add(e.Data); Monitor.PulseAll(_lines); }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data == null) { _errClosed.Set(); return; }
                lock (_stderr) _stderr.AppendLine(e.Data);
            };
            _process.Start();
            _process.StandardInput.Close();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string StdErrSoFar { get { lock (_stderr) return _stderr.ToString(); } }

        public static ShellProcess Start(string repository, string command, IReadOnlyDictionary<string, string>? environment = null) => new ShellProcess(repository, command, environment);

        public static ShellResult Run(string repository, string command, IReadOnlyDictionary<string, string>? environment = null)
        {
            using var shell = Start(repository, command, environment);
            return shell.Finish(TimeSpan.FromSeconds(120));
        }

        public bool WaitForLines(Func<string, bool> match, int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_lines)
            {
                while (_lines.Count(match) < count)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || _outClosed.IsSet) return false;
                    Monitor.Wait(_lines, TimeSpan.FromMilliseconds(Math.Min(100, left.TotalMilliseconds)));
                }
            }
            return true;
        }

        /// <summary>Kills the process (SIGKILL on Unix) and its children.</summary>
        public void Kill() => _process.Kill(entireProcessTree: true);

        /// <summary>The lines printed so far.</summary>
        public List<string> LinesSoFar { get { lock (_lines) return _lines.ToList(); } }

        public ShellResult Finish(TimeSpan timeout)
        {
            if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException("cimlite did not finish; stderr: " + StdErrSoFar);
            }
            _process.WaitForExit();
            _outClosed.Wait(TimeSpan.FromSeconds(10));
            _errClosed.Wait(TimeSpan.FromSeconds(10));
            lock (_lines) return new ShellResult(_process.ExitCode, _lines.ToList(), string.Join("\n", _lines), StdErrSoFar);
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.Dispose();
            _outClosed.Dispose();
            _errClosed.Dispose();
        }
    }

    public sealed record ShellResult(int ExitCode, List<string> Lines, string StdOut, string StdErr);
}
