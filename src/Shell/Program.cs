using System;
using System.Collections.Generic;

namespace CimLite.Shell
{
    internal static class Program
    {
        internal const int ExitSuccess = 0;
        internal const int ExitFailure = 1;
        internal const int ExitBadArguments = 64;

        private const string Usage = @"cimlite - PowerShell with the CimLite module loaded

Usage:
  cimlite -Command <text> [more text...]   Run the command text (remaining arguments are joined by spaces).
  cimlite -File <script.ps1> [args...]     Run a script; arguments bind to its parameters, like pwsh -File.
  cimlite <script.ps1> [args...]           Same as -File.
  cimlite                                  Read commands from standard input, one per line.
  cimlite -Help                            Show this text.

Short forms: -c, -f, -h, -?. -NoProfile, -NoLogo and -NonInteractive are accepted and ignored.
Results are formatted with Out-Default. Exit code: the argument of 'exit N'; 1 after a terminating
error (or, for -Command, when the last command failed); 0 otherwise; 64 for bad arguments.";

        private static int Main(string[] args)
        {
            int index = 0;
            while (index < args.Length)
            {
                string arg = args[index];
                string option = arg.StartsWith("--", StringComparison.Ordinal) ? arg.Substring(1) : arg;
                switch (option.ToLowerInvariant())
                {
                    case "-help":
                    case "-h":
                    case "-?":
                    case "/?":
                        Console.Out.WriteLine(Usage);
                        return ExitSuccess;
                    case "-noprofile":
                    case "-nologo":
                    case "-noninteractive":
                        index++;
                        continue;
                    case "-command":
                    case "-c":
                        if (index + 1 >= args.Length)
                        {
                            return BadArguments("-Command needs the command text.");
                        }

                        return ShellRunner.RunCommand(string.Join(" ", args, index + 1, args.Length - index - 1));
                    case "-file":
                    case "-f":
                        if (index + 1 >= args.Length)
                        {
                            return BadArguments("-File needs the path of a script.");
                        }

                        return ShellRunner.RunFile(args[index + 1], Rest(args, index + 2));
                    default:
                        if (arg.StartsWith("-", StringComparison.Ordinal))
                        {
                            return BadArguments("Unknown option: " + arg);
                        }

                        return ShellRunner.RunFile(arg, Rest(args, index + 1));
                }
            }

            return ShellRunner.RunInteractive();
        }

        private static IReadOnlyList<string> Rest(string[] args, int start)
        {
            var rest = new List<string>();
            for (int i = start; i < args.Length; i++)
            {
                rest.Add(args[i]);
            }

            return rest;
        }

        private static int BadArguments(string message)
        {
            Console.Error.WriteLine(message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(Usage);
            return ExitBadArguments;
        }
    }
}
