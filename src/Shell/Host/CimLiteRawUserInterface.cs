using System;
using System.Management.Automation.Host;

namespace CimLite.Shell.Host
{
    /// <summary>
    /// Just enough raw console for the formatter (it asks for the buffer width). Everything that would
    /// need a real screen buffer is unsupported.
    /// </summary>
    internal sealed class CimLiteRawUserInterface : PSHostRawUserInterface
    {
        private const int RedirectedWidth = 120;

        private ConsoleColor foreground = ConsoleColor.Gray;
        private ConsoleColor background = ConsoleColor.Black;
        private string title = "cimlite";

        public override ConsoleColor ForegroundColor
        {
            get => foreground;
            set => foreground = value;
        }

        public override ConsoleColor BackgroundColor
        {
            get => background;
            set => background = value;
        }

        public override Size BufferSize
        {
            get => new Size(Width, 9999);
            set { }
        }

        public override Coordinates CursorPosition
        {
            get => new Coordinates(0, 0);
            set { }
        }

        public override int CursorSize
        {
            get => 25;
            set { }
        }

        public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

        public override Size MaxPhysicalWindowSize => new Size(Width, 9999);

        public override Size MaxWindowSize => new Size(Width, 9999);

        public override Coordinates WindowPosition
        {
            get => new Coordinates(0, 0);
            set { }
        }

        public override Size WindowSize
        {
            get => new Size(Width, 50);
            set { }
        }

        public override string WindowTitle
        {
            get => title;
            set => title = value ?? string.Empty;
        }

        private static int Width
        {
            get
            {
                if (Console.IsOutputRedirected)
                {
                    return RedirectedWidth;
                }

                try
                {
                    int width = Console.BufferWidth;
                    return width > 0 ? width : RedirectedWidth;
                }
                catch (System.IO.IOException)
                {
                    return RedirectedWidth;
                }
                catch (PlatformNotSupportedException)
                {
                    return RedirectedWidth;
                }
            }
        }

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("cimlite has no screen buffer.");

        public override KeyInfo ReadKey(ReadKeyOptions options)
        {
            if (Console.IsInputRedirected)
            {
                throw new NotSupportedException("cimlite cannot read keys from redirected input.");
            }

            ConsoleKeyInfo key = Console.ReadKey((options & ReadKeyOptions.NoEcho) != 0);
            var state = default(ControlKeyStates);
            if ((key.Modifiers & ConsoleModifiers.Shift) != 0)
            {
                state |= ControlKeyStates.ShiftPressed;
            }

            if ((key.Modifiers & ConsoleModifiers.Control) != 0)
            {
                state |= ControlKeyStates.LeftCtrlPressed;
            }

            if ((key.Modifiers & ConsoleModifiers.Alt) != 0)
            {
                state |= ControlKeyStates.LeftAltPressed;
            }

            return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
        }

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException("cimlite has no screen buffer.");

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException("cimlite has no screen buffer.");

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException("cimlite has no screen buffer.");
    }
}
