using System;
using System.Collections.Generic;

namespace CimLite.Query
{
    /// <summary>
    /// A compiled WQL LIKE pattern: <c>%</c> any run, <c>_</c> one character, <c>[abc]</c>, <c>[a-z]</c>, <c>[^a]</c>
    /// sets; case-insensitive. Matching is linear in the text (no recursion, no regex, no backtracking): see <see cref="IsMatch"/>.
    /// </summary>
    internal sealed class WqlLikePattern
    {
        private enum Kind { Char, One, Many, Set }

        private struct Item
        {
            public Kind Kind;
            public char Char;
            public bool Negated;
            public List<(char Low, char High)>? Ranges;
        }

        private readonly List<Item> _items = new List<Item>();

        public string Text { get; }

        private WqlLikePattern(string text) { Text = text; }

        /// <summary>Null when the pattern is valid, else what is wrong.</summary>
        public static string? Validate(string pattern)
        {
            Compile(pattern, out var problem);
            return problem;
        }

        public static WqlLikePattern Compile(string pattern) =>
            Compile(pattern, out var problem) ?? throw WqlLexer.Error(0, Messages.QueryBadPattern(problem!));

        private static WqlLikePattern? Compile(string pattern, out string? problem)
        {
            problem = null;
            var result = new WqlLikePattern(pattern);
            for (int i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '%')
                {
                    if (result._items.Count == 0 || result._items[result._items.Count - 1].Kind != Kind.Many)
                        result._items.Add(new Item { Kind = Kind.Many });
                }
                else if (c == '_') result._items.Add(new Item { Kind = Kind.One });
                else if (c == '[')
                {
                    int close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { problem = Messages.QueryPatternUnclosedSet; return null; }
                    var body = pattern.Substring(i + 1, close - i - 1);
                    var item = new Item { Kind = Kind.Set, Ranges = new List<(char, char)>() };
                    int j = 0;
                    if (body.Length > 0 && body[0] == '^') { item.Negated = true; j = 1; }
                    for (; j < body.Length; j++)
                    {
                        if (j + 2 < body.Length && body[j + 1] == '-')
                        {
                            if (body[j] > body[j + 2]) { problem = Messages.QueryPatternBadRange; return null; }
                            item.Ranges.Add((body[j], body[j + 2]));
                            j += 2;
                        }
                        else item.Ranges.Add((body[j], body[j]));
                    }
                    result._items.Add(item);
                    i = close;
                }
                else result._items.Add(new Item { Kind = Kind.Char, Char = c });
            }
            return result;
        }

        // Case-insensitivity agrees with '=' (StringComparison.OrdinalIgnoreCase, as keys fold with
        // InstanceKey.FoldCase): two characters are the same when they fold alike, so 'ſ' (U+017F) is not 's'.
        // Fold maps each UTF-16 unit to its class representative; Members lists the classes with more than one member.
        private static class CaseFolding
        {
            public static readonly char[] Fold = new char[char.MaxValue + 1];
            public static readonly Dictionary<char, char[]> Members = new Dictionary<char, char[]>();

            static CaseFolding()
            {
                var members = new Dictionary<char, List<char>>();
                for (int i = 0; i <= char.MaxValue; i++)
                {
                    char c = (char)i, upper = char.ToUpperInvariant(c);
                    Fold[i] = c == upper || char.IsSurrogate(c) || char.IsSurrogate(upper)
                        || string.Compare(c.ToString(), upper.ToString(), StringComparison.OrdinalIgnoreCase) != 0 ? c : upper;
                    if (Fold[i] == c) continue;
                    if (!members.TryGetValue(Fold[i], out var list)) members[Fold[i]] = list = new List<char> { Fold[i] };
                    list.Add(c);
                }
                foreach (var pair in members) Members[pair.Key] = pair.Value.ToArray();
            }
        }

        private static bool SameChar(char a, char b) => a == b || CaseFolding.Fold[a] == CaseFolding.Fold[b];

        private static bool InRange(char c, char low, char high) => c >= low && c <= high;

        /// <summary>Whether <paramref name="c"/> or any character that is the same as it ignoring case lies in the range.</summary>
        private static bool InRangeIgnoringCase(char c, char low, char high)
        {
            if (InRange(c, low, high)) return true;
            if (!CaseFolding.Members.TryGetValue(CaseFolding.Fold[c], out var members)) return false;
            foreach (var m in members)
                if (InRange(m, low, high)) return true;
            return false;
        }

        private bool MatchOne(Item item, char c)
        {
            switch (item.Kind)
            {
                case Kind.One: return true;
                case Kind.Char: return SameChar(item.Char, c);
                default:
                    bool hit = false;
                    foreach (var (low, high) in item.Ranges!)
                        if (InRangeIgnoringCase(c, low, high)) { hit = true; break; }
                    return hit != item.Negated;
            }
        }

        /// <summary>
        /// True when the whole text matches. The pattern is cut at its <c>%</c>s into segments: the first must match
        /// at the start, the last at the end, and each one between is found at its leftmost place after the one
        /// before (leftmost is always right when the gaps are free). A middle segment is found with a bit-parallel
        /// (shift-and) scan, so the work is O(text × ⌈segment / 64⌉) whatever the text and pattern: a 1 MB value
        /// against a 4,000-character segment takes milliseconds, not the seconds of backtracking.
        /// </summary>
        public bool IsMatch(string text)
        {
            var segments = Segments;
            if (segments.Length == 1) return segments[0].Length == text.Length && MatchesAt(segments[0], text, 0);
            Segment first = segments[0], last = segments[segments.Length - 1];
            int from = first.Length, to = text.Length - last.Length;
            if (from > to || !MatchesAt(first, text, 0) || !MatchesAt(last, text, to)) return false;
            for (int i = 1; i < segments.Length - 1; i++)
            {
                int at = segments[i].FindLeftmost(text, from, to, this);
                if (at < 0) return false;
                from = at + segments[i].Length;
            }
            return true;
        }

        private Segment[]? _segments;

        /// <summary>The items between the <c>%</c>s (one segment when there is none; empty first/last ones at a leading/trailing %).</summary>
        private Segment[] Segments
        {
            get
            {
                if (_segments != null) return _segments;
                var list = new List<Segment>();
                var current = new List<Item>();
                foreach (var item in _items)
                {
                    if (item.Kind == Kind.Many)
                    {
                        list.Add(new Segment(current.ToArray()));
                        current.Clear();
                    }
                    else current.Add(item);
                }
                list.Add(new Segment(current.ToArray()));
                return _segments = list.ToArray();
            }
        }

        private bool MatchesAt(Segment segment, string text, int at)
        {
            for (int i = 0; i < segment.Length; i++)
                if (!MatchOne(segment.Items[i], text[at + i])) return false;
            return true;
        }

        /// <summary>A run of pattern items without <c>%</c>, with its shift-and masks (per text character, built on first use).</summary>
        private sealed class Segment
        {
            private readonly int _words;
            private readonly Dictionary<char, ulong[]> _masks = new Dictionary<char, ulong[]>();

            public Segment(Item[] items)
            {
                Items = items;
                _words = (items.Length + 63) / 64;
            }

            public Item[] Items { get; }

            public int Length => Items.Length;

            private ulong[] Mask(char c, WqlLikePattern pattern)
            {
                if (_masks.TryGetValue(c, out var mask)) return mask;
                mask = new ulong[_words];
                for (int i = 0; i < Items.Length; i++)
                    if (pattern.MatchOne(Items[i], c)) mask[i >> 6] |= 1UL << (i & 63);
                // Bounded memory for texts of many distinct characters: forget the cache rather than grow it past 4,096.
                if (_masks.Count >= 4096) _masks.Clear();
                _masks[c] = mask;
                return mask;
            }

            /// <summary>Where the segment first matches wholly inside text[from, to), or -1.</summary>
            public int FindLeftmost(string text, int from, int to, WqlLikePattern pattern)
            {
                int m = Items.Length;
                if (m == 0) return from;
                var state = new ulong[_words];
                int lastWord = (m - 1) >> 6;
                ulong lastBit = 1UL << ((m - 1) & 63);
                for (int t = from; t < to; t++)
                {
                    var mask = Mask(text[t], pattern);
                    ulong carry = 1; // a match may start at every position
                    for (int w = 0; w < _words; w++)
                    {
                        ulong next = state[w] >> 63;
                        state[w] = ((state[w] << 1) | carry) & mask[w];
                        carry = next;
                    }
                    if ((state[lastWord] & lastBit) != 0) return t - m + 1;
                }
                return -1;
            }
        }
    }
}
