using System;
using System.Globalization;
using System.Text;

namespace CimLite
{
    /// <summary>
    /// Conversions between CIM datetime text (DSP0004: <c>yyyymmddHHMMSS.mmmmmmsUUU</c> timestamps and
    /// <c>ddddddddHHMMSS.mmmmmm:000</c> intervals) and .NET values: timestamps are
    /// <see cref="DateTimeOffset"/>, intervals are <see cref="TimeSpan"/>.
    /// </summary>
    public static class CimDateTime
    {
        /// <summary>Formats a timestamp as CIM datetime text (microsecond precision, offset in minutes).</summary>
        public static string Format(DateTimeOffset value)
        {
            var sb = new StringBuilder(25);
            Append(sb, value);
            return sb.ToString();
        }

        /// <summary>Appends <see cref="Format(DateTimeOffset)"/>'s text without building strings on the way (every put encodes its datetimes).</summary>
        internal static void Append(StringBuilder sb, DateTimeOffset value)
        {
            var clock = value.DateTime;
            Digits(sb, clock.Year, 4);
            Digits(sb, clock.Month, 2);
            Digits(sb, clock.Day, 2);
            Digits(sb, clock.Hour, 2);
            Digits(sb, clock.Minute, 2);
            Digits(sb, clock.Second, 2);
            sb.Append('.');
            Digits(sb, (int)((value.Ticks % TimeSpan.TicksPerSecond) / 10), 6);
            var offset = (int)value.Offset.TotalMinutes;
            sb.Append(offset < 0 ? '-' : '+');
            Digits(sb, Math.Abs(offset), 3);
        }

        // A non-negative number in at least `width` digits, zero-padded (as the "D<width>" format writes it).
        private static void Digits(StringBuilder sb, int value, int width)
        {
            if (width == 2 && value < 100)
            {
                int tens = value / 10;
                sb.Append((char)('0' + tens)).Append((char)('0' + (value - tens * 10)));
                return;
            }
            int length = 1;
            for (int v = value; v >= 10; v /= 10) length++;
            for (int i = length; i < width; i++) sb.Append('0');
            int divisor = 1;
            for (int i = 1; i < length; i++) divisor *= 10;
            for (; divisor > 0; divisor /= 10)
            {
                sb.Append((char)('0' + value / divisor % 10));
            }
        }

        /// <summary>Formats an interval as CIM datetime text.</summary>
        public static string Format(TimeSpan value)
        {
            if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value));
            var micro = (value.Ticks % TimeSpan.TicksPerSecond) / 10;
            return value.Days.ToString("D8", CultureInfo.InvariantCulture) +
                   value.Hours.ToString("D2", CultureInfo.InvariantCulture) +
                   value.Minutes.ToString("D2", CultureInfo.InvariantCulture) +
                   value.Seconds.ToString("D2", CultureInfo.InvariantCulture) + "." +
                   micro.ToString("D6", CultureInfo.InvariantCulture) + ":000";
        }

        /// <summary>Formats a stored datetime value (<see cref="DateTimeOffset"/> or <see cref="TimeSpan"/>).</summary>
        public static string Format(object value) =>
            value is TimeSpan ts ? Format(ts) : Format((DateTimeOffset)value);

        /// <summary>
        /// Parses CIM datetime text into a <see cref="DateTimeOffset"/> (timestamp) or <see cref="TimeSpan"/> (interval).
        /// </summary>
        public static bool TryParse(string text, out object? value)
        {
            value = null;
            if (text == null || text.Length != 25 || text[14] != '.') return false;
            for (int i = 0; i < 25; i++)
            {
                if (i == 14 || i == 21) continue;
                if (!char.IsDigit(text[i])) return false;
            }
            int Num(int start, int len) => int.Parse(text.Substring(start, len), NumberStyles.None, CultureInfo.InvariantCulture);
            var micro = Num(15, 6);
            try
            {
                if (text[21] == ':')
                {
                    var days = Num(0, 8);
                    var hours = Num(8, 2); var minutes = Num(10, 2); var seconds = Num(12, 2);
                    if (hours > 23 || minutes > 59 || seconds > 59) return false;
                    value = new TimeSpan(days, hours, minutes, seconds) + TimeSpan.FromTicks(micro * 10L);
                    return true;
                }
                if (text[21] != '+' && text[21] != '-') return false;
                var offsetMinutes = Num(22, 3) * (text[21] == '-' ? -1 : 1);
                if (Math.Abs(offsetMinutes) > 14 * 60) return false;
                var dt = new DateTime(Num(0, 4), Num(4, 2), Num(6, 2), Num(8, 2), Num(10, 2), Num(12, 2), DateTimeKind.Unspecified)
                    .AddTicks(micro * 10L);
                value = new DateTimeOffset(dt, TimeSpan.FromMinutes(offsetMinutes));
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
