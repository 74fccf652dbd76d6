using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.Commands;
using System.Text;

namespace CimLite.Shell
{
    /// <summary>
    /// The line editor behind cimlite's <c>PSConsoleHostReadLine</c> function, used when PSReadLine is not
    /// available: Left/Right/Home/End, Backspace/Delete, Up/Down through this session's history (Get-History),
    /// Tab/Shift+Tab cycling through PowerShell's own completions (CommandCompletion.CompleteInput), Escape
    /// clears the line, Enter accepts it, Ctrl+C abandons it.
    /// </summary>
    public static class LineEditor
    {
        /// <summary>The function pwsh's console calls to read an interactive line.</summary>
        public const string FunctionName = "PSConsoleHostReadLine";

        /// <summary>
        /// Reads one line from the console, editing it in place after the prompt the console has written.
        /// Returns null when there is no console to edit on (redirected input or output): the console then
        /// reads the line itself.
        /// </summary>
        public static string? ReadLine()
        {
            if (Console.IsInputRedirected || Console.IsOutputRedirected)
            {
                return null;
            }

            bool treatControlCAsInput = Console.TreatControlCAsInput;
            Console.TreatControlCAsInput = true;
            try
            {
                var session = new EditSession(LoadHistory());
                return session.Run();
            }
            finally
            {
                Console.TreatControlCAsInput = treatControlCAsInput;
            }
        }

        /// <summary>This session's command lines, oldest first, from Get-History in the runspace that called us.</summary>
        private static List<string> LoadHistory()
        {
            var lines = new List<string>();
            if (Runspace.DefaultRunspace == null)
            {
                return lines;
            }

            try
            {
                using PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                foreach (PSObject item in ps.AddCommand("Get-History").Invoke())
                {
                    if (item.BaseObject is HistoryInfo info && info.CommandLine.Length > 0
                        && (lines.Count == 0 || lines[lines.Count - 1] != info.CommandLine))
                    {
                        lines.Add(info.CommandLine);
                    }
                }
            }
            catch (RuntimeException)
            {
                // No history is better than no prompt.
            }

            return lines;
        }

        /// <summary>One line being edited: the buffer, the cursor, what is on screen, and the Tab cycle.</summary>
        private sealed class EditSession
        {
            private readonly StringBuilder buffer = new StringBuilder();
            private readonly List<string> history;
            private int cursor;
            private int historyIndex;
            private string pendingLine = string.Empty;
            private int startLeft;
            private int startTop;
            private int shownLength;

            // The Tab cycle: the completions of the line as it was when Tab was first pressed.
            private CommandCompletion? completion;
            private string completionInput = string.Empty;

            public EditSession(List<string> history)
            {
                this.history = history;
                historyIndex = history.Count;
                (startLeft, startTop) = Console.GetCursorPosition();
            }

            public string Run()
            {
                while (true)
                {
                    ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                    bool tab = key.Key == ConsoleKey.Tab;
                    if (!tab)
                    {
                        completion = null;
                    }

                    switch (key.Key)
                    {
                        case ConsoleKey.Enter:
                            MoveCursorTo(buffer.Length);
                            Console.Out.Write(Environment.NewLine);
                            return buffer.ToString();
                        case ConsoleKey.C when (key.Modifiers & ConsoleModifiers.Control) != 0:
                            MoveCursorTo(buffer.Length);
                            Console.Out.Write("^C" + Environment.NewLine);
                            return string.Empty;
                        case ConsoleKey.Tab:
                            Complete(forward: (key.Modifiers & ConsoleModifiers.Shift) == 0);
                            break;
                        case ConsoleKey.LeftArrow:
                            SetCursor(cursor - 1);
                            break;
                        case ConsoleKey.RightArrow:
                            SetCursor(cursor + 1);
                            break;
                        case ConsoleKey.Home:
                            SetCursor(0);
                            break;
                        case ConsoleKey.End:
                            SetCursor(buffer.Length);
                            break;
                        case ConsoleKey.Backspace:
                            if (cursor > 0)
                            {
                                buffer.Remove(cursor - 1, 1);
                                Render(cursor - 1);
                            }

                            break;
                        case ConsoleKey.Delete:
                            if (cursor < buffer.Length)
                            {
                                buffer.Remove(cursor, 1);
                                Render(cursor);
                            }

                            break;
                        case ConsoleKey.Escape:
                            buffer.Clear();
                            Render(0);
                            break;
                        case ConsoleKey.UpArrow:
                            ShowHistory(historyIndex - 1);
                            break;
                        case ConsoleKey.DownArrow:
                            ShowHistory(historyIndex + 1);
                            break;
                        default:
                            if (key.KeyChar >= ' ' && (key.Modifiers & (ConsoleModifiers.Control | ConsoleModifiers.Alt)) == 0)
                            {
                                buffer.Insert(cursor, key.KeyChar);
                                Render(cursor + 1);
                            }

                            break;
                    }
                }
            }

            /// <summary>Replaces the buffer with history entry <paramref name="index"/> (Count: the line being typed).</summary>
            private void ShowHistory(int index)
            {
                if (index < 0 || index > history.Count || index == historyIndex)
                {
                    return;
                }

                if (historyIndex == history.Count)
                {
                    pendingLine = buffer.ToString();
                }

                historyIndex = index;
                buffer.Clear().Append(index == history.Count ? pendingLine : history[index]);
                Render(buffer.Length);
            }

            /// <summary>
            /// Tab: the next completion of the line as it was when the cycle started (Shift+Tab: the previous
            /// one), put in place of the text it completes.
            /// </summary>
            private void Complete(bool forward)
            {
                if (completion == null)
                {
                    completionInput = buffer.ToString();
                    completion = GetCompletions(completionInput, cursor);
                    if (completion == null || completion.CompletionMatches.Count == 0)
                    {
                        completion = null;
                        return;
                    }
                }

                CompletionResult? next = completion.GetNextResult(forward);
                if (next == null)
                {
                    return;
                }

                int start = completion.ReplacementIndex;
                int end = start + completion.ReplacementLength;
                buffer.Clear()
                    .Append(completionInput, 0, start)
                    .Append(next.CompletionText)
                    .Append(completionInput, end, completionInput.Length - end);
                Render(start + next.CompletionText.Length);
            }

            private static CommandCompletion? GetCompletions(string input, int cursorIndex)
            {
                if (Runspace.DefaultRunspace == null)
                {
                    return null;
                }

                try
                {
                    using PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                    return CommandCompletion.CompleteInput(input, cursorIndex, options: null, ps);
                }
                catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
                {
                    return null;
                }
            }

            private void SetCursor(int index)
            {
                if (index >= 0 && index <= buffer.Length)
                {
                    MoveCursorTo(index);
                    cursor = index;
                }
            }

            /// <summary>Redraws the line from the prompt on (blanking what was longer) and puts the cursor at <paramref name="newCursor"/>.</summary>
            private void Render(int newCursor)
            {
                MoveCursorTo(0);
                string text = buffer.ToString();
                int blank = Math.Max(0, shownLength - text.Length);
                Console.Out.Write(text + new string(' ', blank));
                Console.Out.Flush();

                // Writing past the bottom line scrolled the screen: the line now starts higher up.
                int written = text.Length + blank;
                if (written > 0)
                {
                    int lastRow = startTop + ((startLeft + written - 1) / Width());
                    int bottom = Console.BufferHeight - 1;
                    if (lastRow > bottom)
                    {
                        startTop -= lastRow - bottom;
                    }
                }

                shownLength = text.Length;
                cursor = newCursor;
                MoveCursorTo(newCursor);
            }

            /// <summary>Puts the console cursor on character <paramref name="index"/> of the line, wrapping at the window's width.</summary>
            private void MoveCursorTo(int index)
            {
                int width = Width();
                int offset = startLeft + index;
                int top = startTop + (offset / width);
                int bottom = Console.BufferHeight - 1;
                if (top > bottom)
                {
                    // The cursor belongs on a line the text has not opened yet (it ends on the last column).
                    Console.Out.Write(Environment.NewLine);
                    startTop -= top - bottom;
                    top = bottom;
                }

                Console.SetCursorPosition(offset % width, Math.Max(0, top));
            }

            private static int Width() => Math.Max(1, Console.BufferWidth);
        }
    }
}
