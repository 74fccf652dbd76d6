using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CimLite.Query
{
    internal enum WqlTokenKind
    {
        Identifier,
        String,
        Integer,
        Real,
        Symbol,
        End,
    }

    internal sealed class WqlToken
    {
        public WqlToken(WqlTokenKind kind, int position, string text, object? value = null)
        {
            Kind = kind;
            Position = position;
            Text = text;
            Value = value;
        }

        public WqlTokenKind Kind { get; }

        /// <summary>0-based offset of the token's first character.</summary>
        public int Position { get; }

        /// <summary>The identifier or symbol text (source spelling).</summary>
        public string Text { get; }

        /// <summary>String contents, decimal for integers, double for reals.</summary>
        public object? Value { get; }

        public bool IsKeyword(string keyword) => Kind == WqlTokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public bool IsSymbol(string symbol) => Kind == WqlTokenKind.Symbol && Text == symbol;

        public override string ToString() => Kind + " " + Text;
    }

    /// <summary>Splits WQL text into tokens. Every failure is INVALID_QUERY with the position.</summary>
    internal static class WqlLexer
    {
        public static CimLiteException Error(int position, string expected) =>
            new CimLiteException(CimStatus.InvalidQuery, Messages.MalformedQuery(position, expected));

        public static List<WqlToken> Tokenize(string text)
        {
            var tokens = new List<WqlToken>();
            int i = 0;
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                if (i >= text.Length)
                {
                    tokens.Add(new WqlToken(WqlTokenKind.End, text.Length, ""));
                    return tokens;
                }
                var c = text[i];
                int start = i;
                if (char.IsLetter(c) || c == '_')
                {
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    tokens.Add(new WqlToken(WqlTokenKind.Identifier, start, text.Substring(start, i - start)));
                }
                else if (c >= '0' && c <= '9')
                {
                    tokens.Add(Number(text, ref i));
                }
                else if (c == '\'' || c == '"')
                {
                    tokens.Add(QuotedString(text, ref i));
                }
                else
                {
                    string? symbol = null;
                    var next = i + 1 < text.Length ? text[i + 1] : '\0';
                    switch (c)
                    {
                        case '<': symbol = next == '>' ? "<>" : next == '=' ? "<=" : "<"; break;
                        case '>': symbol = next == '=' ? ">=" : ">"; break;
                        case '!': if (next == '=') symbol = "!="; break;
                        case '=': case '(': case ')': case ',': case '*': case '-': case '+': symbol = c.ToString(); break;
                    }
                    if (symbol == null) throw Error(i, Messages.QueryUnexpectedCharacter(c));
                    tokens.Add(new WqlToken(WqlTokenKind.Symbol, start, symbol));
                    i += symbol.Length;
                }
            }
        }

        private static bool IsDigit(string text, int i) => i < text.Length && text[i] >= '0' && text[i] <= '9';

        private static WqlToken Number(string text, ref int i)
        {
            int start = i;
            while (IsDigit(text, i)) i++;
            bool real = false;
            if (i < text.Length && text[i] == '.' && IsDigit(text, i + 1))
            {
                real = true;
                i++;
                while (IsDigit(text, i)) i++;
            }
            if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
            {
                int e = i + 1;
                if (e < text.Length && (text[e] == '+' || text[e] == '-')) e++;
                if (IsDigit(text, e))
                {
                    real = true;
                    i = e;
                    while (IsDigit(text, i)) i++;
                }
            }
            var s = text.Substring(start, i - start);
            if (real)
            {
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsInfinity(d) || double.IsNaN(d))
                    throw Error(start, Messages.QueryNumberOutOfRange);
                return new WqlToken(WqlTokenKind.Real, start, s, d);
            }
            if (!decimal.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
                throw Error(start, Messages.QueryNumberOutOfRange);
            return new WqlToken(WqlTokenKind.Integer, start, s, m);
        }

        private static WqlToken QuotedString(string text, ref int i)
        {
            int start = i;
            var quote = text[i++];
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= text.Length) throw Error(text.Length, Messages.QueryExpectedClosingQuote);
                var c = text[i++];
                if (c == quote)
                {
                    if (i < text.Length && text[i] == quote)
                    {
                        sb.Append(quote);
                        i++;
                        continue;
                    }
                    return new WqlToken(WqlTokenKind.String, start, text.Substring(start, i - start), sb.ToString());
                }
                sb.Append(c);
            }
        }
    }
}
