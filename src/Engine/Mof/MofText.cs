using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace CimLite.Mof
{
    /// <summary>
    /// MOF files as bytes and text (files are read by MofFiles: regular files only, size-limited). Reading: a byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, either
    /// order); else the encoding asked for; else UTF-8. Decoding is strict: bytes that are not valid in that encoding
    /// are an error naming file(line,column), never silently U+FFFD. Writing: characters the target encoding cannot
    /// hold are written as MOF escapes (<c>\xHHHH</c>) inside string and char literals, so the text round-trips.
    /// </summary>
    public static class MofText
    {
        /// <summary>Decodes the bytes of <paramref name="file"/> (see the class remarks).</summary>
        public static string Decode(byte[] bytes, string file, Encoding? encoding = null)
        {
            int bom;
            Encoding chosen = FromBom(bytes, out bom) ?? encoding ?? new UTF8Encoding(false);
            var strict = Encoding.GetEncoding(chosen.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            try
            {
                return strict.GetString(bytes, bom, bytes.Length - bom);
            }
            catch (DecoderFallbackException e)
            {
                // Where: the text before the first bad byte, decoded leniently, gives the line and column.
                int bad = bom + Math.Max(0, e.Index);
                var before = chosen.GetString(bytes, bom, Math.Max(0, Math.Min(bad, bytes.Length) - bom));
                int line = 1, column = 1;
                foreach (char c in before)
                {
                    if (c == '\n') { line++; column = 1; }
                    else column++;
                }
                string shown = bad < bytes.Length ? Messages.Mof.TheByte(bytes[bad]) : Messages.Mof.TheEndOfTheFileCapital;
                throw MofErrors.Syntax(new MofPosition(file, line, column), Messages.Mof.InvalidBytes(shown, strict.WebName));
            }
        }

        private static Encoding? FromBom(byte[] b, out int length)
        {
            length = 0;
            if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) { length = 4; return new UTF32Encoding(false, true); }
            if (b.Length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) { length = 4; return new UTF32Encoding(true, true); }
            if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) { length = 3; return new UTF8Encoding(true); }
            if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE) { length = 2; return new UnicodeEncoding(false, true); }
            if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) { length = 2; return new UnicodeEncoding(true, true); }
            return null;
        }

        /// <summary>
        /// Rewrites MOF text so that <paramref name="encoding"/> can hold it: every character it cannot encode that
        /// stands inside a string or char literal becomes <c>\xHHHH</c> (a surrogate pair, two such escapes). One
        /// outside a literal (a name) cannot be escaped: that is a NOT_SUPPORTED error naming it.
        /// </summary>
        public static string EscapeFor(string mof, Encoding encoding)
        {
            var encoder = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            if (encoder is UTF8Encoding || encoder is UnicodeEncoding || encoder is UTF32Encoding) return mof;
            var sb = new StringBuilder(mof.Length);
            char quote = '\0';
            bool lineComment = false, blockComment = false;
            for (int i = 0; i < mof.Length; i++)
            {
                char c = mof[i];
                if (quote != '\0')
                {
                    if (c == '\\' && i + 1 < mof.Length) { sb.Append(c).Append(mof[++i]); continue; }
                    if (c == quote) quote = '\0';
                    if (!CanEncode(encoder, c)) { sb.Append("\\x").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); continue; }
                    sb.Append(c);
                    continue;
                }
                if (lineComment) { if (c == '\n') lineComment = false; }
                else if (blockComment) { if (c == '*' && i + 1 < mof.Length && mof[i + 1] == '/') { sb.Append(c).Append(mof[++i]); blockComment = false; continue; } }
                else if (c == '"' || c == '\'') quote = c;
                else if (c == '/' && i + 1 < mof.Length && mof[i + 1] == '/') lineComment = true;
                else if (c == '/' && i + 1 < mof.Length && mof[i + 1] == '*') blockComment = true;
                if (!CanEncode(encoder, c))
                {
                    if (lineComment || blockComment) { sb.Append('?'); continue; }
                    throw new CimLiteException(CimStatus.NotSupported, Messages.Mof.CannotEncodeName(c, encoding.WebName));
                }
                sb.Append(c);
            }
            return sb.ToString();
        }

        private static bool CanEncode(Encoding strict, char c)
        {
            if (char.IsSurrogate(c)) return false;
            try
            {
                strict.GetByteCount(new[] { c });
                return true;
            }
            catch (EncoderFallbackException)
            {
                return false;
            }
        }
    }
}
