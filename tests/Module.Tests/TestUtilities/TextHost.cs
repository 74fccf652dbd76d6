using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CimLite.Tests.TestUtilities
{
    /// <summary>
    /// A PSHost whose screen is a text buffer: what <c>Out-Default</c> (the formatter with the module's
    /// views), -WhatIf and host messages would show in a console of <see cref="Width"/> columns, without
    /// colours or escape sequences. It never prompts: anything interactive throws.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextHostUserInterface ui;

        /// <summary>A host whose console is <paramref name="width"/> columns wide.</summary>
        public TextHost(int width = 120)
        {
            Width = width;
            ui = new TextHostUserInterface(width);
        }

        /// <summary>The console width the formatter sees.</summary>
        public int Width { get; }

        /// <summary>What was written to the screen since the last <see cref="Clear"/>, lines ending in \n.</summary>
        public string Text => ui.Text;

        /// <summary>Empties the screen.</summary>
        public void Clear() => ui.Clear();

        public override string Name => "CimLiteTextHost";

        public override Version Version { get; } = new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => ui;

        public override CultureInfo CurrentCulture { get; } = CultureInfo.GetCultureInfo("en-US");

        public override CultureInfo CurrentUICulture { get; } = CultureInfo.GetCultureInfo("en-US");

        public override void SetShouldExit(int exitCode)
        {
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException("TextHost has no nested prompt.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("TextHost has no nested prompt.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        private sealed class TextHostUserInterface : PSHostUserInterface
        {
            private readonly StringBuilder text = new StringBuilder();
            private readonly TextHostRawUserInterface rawUI;

            public TextHostUserInterface(int width) => rawUI = new TextHostRawUserInterface(width);

            public string Text
            {
                get
                {
                    lock (text)
                    {
                        return text.ToString();
                    }
                }
            }

            public void Clear()
            {
                lock (text)
                {
                    text.Clear();
                }
            }

            public override PSHostRawUserInterface RawUI => rawUI;

            public override bool SupportsVirtualTerminal => false;

            public override void Write(string value)
            {
                // The formatter writes $PSStyle escape sequences (e.g. bold table headers); a host that
                // supports no virtual terminal gets them removed here, as a redirected console would.
                var plain = GetOutputString(value, supportsVirtualTerminal: false);
                lock (text)
                {
                    text.Append(plain);
                }
            }

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

            public override void WriteLine(string value) => Write(value + "\n");

            public override void WriteErrorLine(string value) => WriteLine(value);

            public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);

            public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);

            public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
                // A console shows progress bars and then erases them: nothing stays on the screen.
            }

            public override string ReadLine() => throw new NotSupportedException("TextHost does not read input.");

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("TextHost does not read input.");

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new NotSupportedException("TextHost does not prompt: " + message);

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new NotSupportedException("TextHost does not prompt: " + message);

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new NotSupportedException("TextHost does not prompt: " + message);

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
                throw new NotSupportedException("TextHost does not prompt: " + message);
        }

        private sealed class TextHostRawUserInterface : PSHostRawUserInterface
        {
            private readonly int width;

            public TextHostRawUserInterface(int width) => this.width = width;

            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

            public override Size BufferSize
            {
                get => new Size(width, 9999);
                set { }
            }

            public override Coordinates CursorPosition
            {
                get => new Coordinates(0, 0);
                set { }
            }

            public override int CursorSize { get; set; } = 25;

            public override bool KeyAvailable => false;

            public override Size MaxPhysicalWindowSize => new Size(width, 9999);

            public override Size MaxWindowSize => new Size(width, 9999);

            public override Coordinates WindowPosition
            {
                get => new Coordinates(0, 0);
                set { }
            }

            public override Size WindowSize
            {
                get => new Size(width, 50);
                set { }
            }

            public override string WindowTitle { get; set; } = "TextHost";

            public override void FlushInputBuffer()
            {
            }

            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("TextHost does not read keys.");

            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
        }
    }
}
