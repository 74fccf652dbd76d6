using System;
using System.Collections.Generic;

namespace CimLite.Query
{
    /// <summary>
    /// A parsed <c>ASSOCIATORS OF {path} [WHERE …]</c> or <c>REFERENCES OF {path} [WHERE …]</c> query (WMI's grammar:
    /// after WHERE, clauses separated by white space, no AND; <c>Name = Value</c> or the bare words KeysOnly and
    /// ClassDefsOnly).
    /// </summary>
    internal sealed class WqlAssociationQuery
    {
        public bool IsReferences;
        public string Path = "";
        public int PathPosition;
        public string? AssocClass;
        public string? ResultClass;
        public string? Role;
        public string? ResultRole;
        public string? RequiredQualifier;
        public string? RequiredAssocQualifier;
        public bool KeysOnly;
        public bool ClassDefsOnly;

        private static readonly string[] AssociatorsClauses = { "AssocClass", "ResultClass", "Role", "ResultRole", "RequiredQualifier", "RequiredAssocQualifier", "KeysOnly", "ClassDefsOnly" };
        private static readonly string[] ReferencesClauses = { "ResultClass", "Role", "RequiredQualifier", "KeysOnly", "ClassDefsOnly" };

        /// <summary>True when the text starts with ASSOCIATORS or REFERENCES (then <see cref="Parse"/> applies, not the SELECT parser).</summary>
        public static bool Applies(string text)
        {
            int i = SkipSpace(text, 0);
            var word = Word(text, ref i);
            return word != null && (Eq(word, "ASSOCIATORS") || Eq(word, "REFERENCES"));
        }

        /// <summary>Parses the whole query.</summary>
        /// <exception cref="CimLiteException">INVALID_QUERY with the 0-based position and what was expected there.</exception>
        public static WqlAssociationQuery Parse(string text)
        {
            var q = new WqlAssociationQuery();
            int i = SkipSpace(text, 0);
            var first = Word(text, ref i);
            q.IsReferences = first != null && Eq(first, "REFERENCES");
            i = SkipSpace(text, i);
            int at = i;
            var of = Word(text, ref i);
            if (of == null || !Eq(of, "OF")) throw WqlLexer.Error(at, Messages.QueryExpectedOf);
            i = SkipSpace(text, i);
            if (i >= text.Length || text[i] != '{') throw WqlLexer.Error(i, Messages.QueryExpectedObjectPath);
            int start = ++i;
            bool quoted = false;
            while (i < text.Length && (quoted || text[i] != '}'))
            {
                if (text[i] == '\\' && quoted && i + 1 < text.Length) i++;
                else if (text[i] == '"') quoted = !quoted;
                i++;
            }
            if (i >= text.Length) throw WqlLexer.Error(i, Messages.QueryExpectedClosingBrace);
            q.PathPosition = start;
            q.Path = text.Substring(start, i - start).Trim();
            if (!InstancePath.TryParse(q.Path, out _)) throw WqlLexer.Error(start, Messages.QueryExpectedObjectPath);
            i = SkipSpace(text, i + 1);
            if (i >= text.Length) return q;
            at = i;
            var where = Word(text, ref i);
            if (where == null || !Eq(where, "WHERE")) throw WqlLexer.Error(at, Messages.QueryExpectedWhere);
            var allowed = q.IsReferences ? ReferencesClauses : AssociatorsClauses;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            i = SkipSpace(text, i);
            if (i >= text.Length) throw WqlLexer.Error(i, Messages.QueryExpectedAssociationClause(string.Join(", ", allowed)));
            while (i < text.Length)
            {
                at = i;
                var name = Word(text, ref i);
                string? clause = null;
                if (name != null) foreach (var a in allowed) if (Eq(a, name)) clause = a;
                if (clause == null || !seen.Add(clause)) throw WqlLexer.Error(at, Messages.QueryExpectedAssociationClause(string.Join(", ", allowed)));
                if (clause == "KeysOnly" || clause == "ClassDefsOnly")
                {
                    if (clause == "KeysOnly") q.KeysOnly = true; else q.ClassDefsOnly = true;
                    if (q.KeysOnly && q.ClassDefsOnly) throw WqlLexer.Error(at, Messages.QueryKeysOnlyWithClassDefsOnly);
                    i = SkipSpace(text, i);
                    continue;
                }
                i = SkipSpace(text, i);
                if (i >= text.Length || text[i] != '=') throw WqlLexer.Error(i, Messages.QueryExpectedEquals);
                i = SkipSpace(text, i + 1);
                at = i;
                var value = Word(text, ref i);
                if (value == null) throw WqlLexer.Error(at, Messages.QueryExpectedName);
                switch (clause)
                {
                    case "AssocClass": q.AssocClass = value; break;
                    case "ResultClass": q.ResultClass = value; break;
                    case "Role": q.Role = value; break;
                    case "ResultRole": q.ResultRole = value; break;
                    case "RequiredQualifier": q.RequiredQualifier = value; break;
                    default: q.RequiredAssocQualifier = value; break;
                }
                i = SkipSpace(text, i);
            }
            return q;
        }

        private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static int SkipSpace(string text, int i)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            return i;
        }

        /// <summary>A CIM name (letters, digits, underscore; not starting with a digit) at <paramref name="i"/>, or null.</summary>
        private static string? Word(string text, ref int i)
        {
            int start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_') && !(i == start && char.IsDigit(text[i]))) i++;
            return i == start ? null : text.Substring(start, i - start);
        }
    }
}
