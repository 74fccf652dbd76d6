using System.Globalization;
using System.Text;

namespace CimLite.Mof
{
    internal enum MofTokenKind { End, Identifier, Integer, Real, String, Char, Alias, Punct }

    internal struct MofToken
    {
        public MofTokenKind Kind;
        public string Text;       // identifier name, string value, punctuation, alias name
        public object? Value;     // long/ulong for integers, double for reals, char for chars
        public int Line;
        public int Column;

        public bool Is(char punct) => Kind == MofTokenKind.Punct && Text.Length == 1 && Text[0] == punct;

        public bool IsKeyword(string word) => Kind == MofTokenKind.Identifier && string.Equals(Text, word, System.StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>DSP0221 tokens: identifiers, numbers (decimal, hex, octal, binary, real), strings and chars with escapes, comments skipped.</summary>
    internal sealed class MofLexer
    {
        private readonly string _text;
        private readonly string _file;
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        public MofLexer(string text, string file)
        {
            _text = text;
            _file = file;
            if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = _lineStart = 1;
        }

        public CimLiteException Error(int line, int column, string message) =>
            MofErrors.Syntax(new MofPosition(_file, line, column), message);

        private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

        private void Advance()
        {
            if (_text[_pos] == '\n') { _line++; _lineStart = _pos + 1; }
            _pos++;
        }

        private void SkipTrivia()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (char.IsWhiteSpace(c)) { Advance(); continue; }
                if (c == '/' && Peek(1) == '/')
                {
                    while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
                    continue;
                }
                if (c == '/' && Peek(1) == '*')
                {
                    int line = _line, col = _pos - _lineStart + 1;
                    Advance(); Advance();
                    while (true)
                    {
                        if (_pos >= _text.Length) throw Error(line, col, Messages.Mof.UnterminatedComment);
                        if (_text[_pos] == '*' && Peek(1) == '/') { Advance(); Advance(); break; }
                        Advance();
                    }
                    continue;
                }
                break;
            }
        }

        public MofToken Next()
        {
            SkipTrivia();
            var t = new MofToken { Line = _line, Column = _pos - _lineStart + 1, Text = "" };
            if (_pos >= _text.Length) { t.Kind = MofTokenKind.End; return t; }
            char c = _text[_pos];
            if (char.IsLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
                t.Kind = MofTokenKind.Identifier;
                t.Text = _text.Substring(start, _pos - start);
                return t;
            }
            if (c == '$')
            {
                _pos++;
                int start = _pos;
                while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
                if (_pos == start) throw Error(t.Line, t.Column, Messages.Mof.BadAlias);
                t.Kind = MofTokenKind.Alias;
                t.Text = _text.Substring(start, _pos - start);
                return t;
            }
            if (char.IsDigit(c) || ((c == '-' || c == '+') && (char.IsDigit(Peek(1)) || Peek(1) == '.')) || (c == '.' && char.IsDigit(Peek(1))))
                return Number(t);
            if (c == '"') { t.Kind = MofTokenKind.String; t.Text = Quoted('"', t); return t; }
            if (c == '\'')
            {
                var s = Quoted('\'', t);
                if (s.Length != 1) throw Error(t.Line, t.Column, Messages.Mof.BadChar);
                t.Kind = MofTokenKind.Char;
                t.Value = s[0];
                t.Text = s;
                return t;
            }
            if ("[](){};,:=#".IndexOf(c) >= 0)
            {
                _pos++;
                t.Kind = MofTokenKind.Punct;
                t.Text = c.ToString();
                return t;
            }
            throw Error(t.Line, t.Column, Messages.Mof.UnexpectedCharacter(c));
        }

        private MofToken Number(MofToken t)
        {
            int start = _pos;
            bool negative = false;
            if (_text[_pos] == '-' || _text[_pos] == '+') { negative = _text[_pos] == '-'; _pos++; }
            int digitsStart = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '.' ||
                ((_text[_pos] == '+' || _text[_pos] == '-') && (_text[_pos - 1] == 'e' || _text[_pos - 1] == 'E') && !IsHex(digitsStart))))
                _pos++;
            var body = _text.Substring(digitsStart, _pos - digitsStart);
            var full = _text.Substring(start, _pos - start);
            if (body.IndexOf('.') >= 0 || (!IsHex(digitsStart) && (body.IndexOf('e') >= 0 || body.IndexOf('E') >= 0)))
            {
                if (!double.TryParse(full, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full));
                t.Kind = MofTokenKind.Real;
                t.Value = d;
                t.Text = full;
                return t;
            }
            ulong magnitude;
            try
            {
                if (body.Length > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
                    magnitude = ulong.Parse(body.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                else if (body.Length > 1 && (body[body.Length - 1] == 'b' || body[body.Length - 1] == 'B'))
                    magnitude = Radix(body.Substring(0, body.Length - 1), 2, full, t);
                else if (body.Length > 1 && body[0] == '0')
                    magnitude = Radix(body.Substring(1), 8, full, t);
                else
                {
                    foreach (var ch in body) if (!char.IsDigit(ch)) throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full));
                    magnitude = ulong.Parse(body, NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
            catch (System.FormatException) { throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full)); }
            catch (System.OverflowException) { throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full)); }
            t.Kind = MofTokenKind.Integer;
            t.Text = full;
            if (negative)
            {
                if (magnitude > 9223372036854775808UL) throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full));
                t.Value = magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude;
            }
            else t.Value = magnitude <= long.MaxValue ? (object)(long)magnitude : magnitude;
            return t;
        }

        private bool IsHex(int digitsStart) => digitsStart + 1 < _text.Length && _text[digitsStart] == '0' && (_text[digitsStart + 1] == 'x' || _text[digitsStart + 1] == 'X');

        private ulong Radix(string digits, int radix, string full, MofToken t)
        {
            ulong v = 0;
            foreach (var ch in digits)
            {
                int d = ch - '0';
                if (d < 0 || d >= radix) throw Error(t.Line, t.Column, Messages.Mof.BadNumber(full));
                v = checked(v * (ulong)radix + (ulong)d);
            }
            return v;
        }

        private string Quoted(char quote, MofToken t)
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length || _text[_pos] == '\n') throw Error(t.Line, t.Column, Messages.Mof.UnterminatedString);
                char c = _text[_pos];
                if (c == quote) { _pos++; break; }
                if (c == '\\')
                {
                    int col = _pos - _lineStart + 1;
                    _pos++;
                    char e = Peek();
                    _pos++;
                    switch (e)
                    {
                        case 'b': sb.Append('\b'); break;
                        case 't': sb.Append('\t'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'r': sb.Append('\r'); break;
                        case '"': sb.Append('"'); break;
                        case '\'': sb.Append('\''); break;
                        case '\\': sb.Append('\\'); break;
                        case 'x':
                        case 'X':
                            {
                                int start = _pos;
                                while (_pos < _text.Length && _pos - start < 4 && IsHexDigit(_text[_pos])) _pos++;
                                if (_pos == start) throw Error(_line, col, Messages.Mof.BadEscape("\\" + e));
                                sb.Append((char)int.Parse(_text.Substring(start, _pos - start), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                                break;
                            }
                        default: throw Error(_line, col, Messages.Mof.BadEscape("\\" + e));
                    }
                    continue;
                }
                sb.Append(c);
                _pos++;
            }
            return sb.ToString();
        }

        private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
