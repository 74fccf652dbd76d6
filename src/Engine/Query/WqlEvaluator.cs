using System;
using System.Collections.Generic;
using System.Globalization;

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
        // InstanceRows.FoldCase): two characters are the same when they fold alike, so 'ſ' (U+017F) is not 's'.
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

    /// <summary>How a comparison compares: the property's CIM type decides.</summary>
    internal enum WqlCompareKind
    {
        /// <summary>Integers (uintN/sintN) against an integer literal: exact, as decimals.</summary>
        Integer,
        /// <summary>Reals, or integers against a real literal: as doubles (IEEE: NaN is unordered).</summary>
        Real,
        /// <summary>Booleans: false &lt; true.</summary>
        Boolean,
        /// <summary>Strings, char16 and references: case-insensitive, ordinal.</summary>
        String,
        /// <summary>Datetime timestamps: as instants (UTC ticks); intervals never match.</summary>
        Timestamp,
        /// <summary>Datetime intervals: as durations; timestamps never match.</summary>
        Interval,
    }

    /// <summary>A WHERE clause bound to one class: property indexes, typed literals, constants folded.</summary>
    internal abstract class Bound
    {
        public abstract bool Evaluate(CimLiteInstance instance);
    }

    internal sealed class BoundConstant : Bound
    {
        public static readonly BoundConstant True = new BoundConstant(true);
        public static readonly BoundConstant False = new BoundConstant(false);

        private BoundConstant(bool value) { Value = value; }

        public bool Value { get; }

        public static BoundConstant Of(bool value) => value ? True : False;

        public override bool Evaluate(CimLiteInstance instance) => Value;
    }

    internal sealed class BoundLogical : Bound
    {
        public BoundLogical(bool isAnd, Bound left, Bound right)
        {
            IsAnd = isAnd;
            Left = left;
            Right = right;
        }

        public bool IsAnd { get; }

        public Bound Left { get; }

        public Bound Right { get; }

        public override bool Evaluate(CimLiteInstance instance) =>
            IsAnd ? Left.Evaluate(instance) && Right.Evaluate(instance) : Left.Evaluate(instance) || Right.Evaluate(instance);
    }

    internal sealed class BoundNot : Bound
    {
        public BoundNot(Bound operand) { Operand = operand; }

        public Bound Operand { get; }

        public override bool Evaluate(CimLiteInstance instance) => !Operand.Evaluate(instance);
    }

    /// <summary>A property compared with a typed literal; null (or a value of the other datetime kind) is false.</summary>
    internal sealed class BoundComparison : Bound
    {
        public BoundComparison(int index, string propertyName, WqlCompareKind kind, WqlComparisonOperator op, object literal)
        {
            Index = index;
            PropertyName = propertyName;
            Kind = kind;
            Operator = op;
            Literal = literal;
        }

        public int Index { get; }

        /// <summary>The property's stored name (as the class declares it).</summary>
        public string PropertyName { get; }

        public WqlCompareKind Kind { get; }

        public WqlComparisonOperator Operator { get; }

        /// <summary>decimal (Integer), double (Real), bool, string, long ticks (Timestamp: UTC; Interval).</summary>
        public object Literal { get; }

        public override bool Evaluate(CimLiteInstance instance) => Test(instance.Values[Index]);

        public bool Test(object? value)
        {
            if (value == null) return false;
            switch (Kind)
            {
                case WqlCompareKind.Integer:
                    return Apply(Convert.ToDecimal(value, CultureInfo.InvariantCulture).CompareTo((decimal)Literal));
                case WqlCompareKind.Real:
                    var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    var l = (double)Literal;
                    switch (Operator)
                    {
                        case WqlComparisonOperator.Equal: return d == l;
                        case WqlComparisonOperator.NotEqual: return d != l;
                        case WqlComparisonOperator.Less: return d < l;
                        case WqlComparisonOperator.Greater: return d > l;
                        case WqlComparisonOperator.LessOrEqual: return d <= l;
                        default: return d >= l;
                    }
                case WqlCompareKind.Boolean:
                    return Apply(((bool)value).CompareTo((bool)Literal));
                case WqlCompareKind.String:
                    return Apply(string.Compare(value is char c ? c.ToString() : (string)value, (string)Literal, StringComparison.OrdinalIgnoreCase));
                case WqlCompareKind.Timestamp:
                    return value is DateTimeOffset ts && Apply(ts.UtcTicks.CompareTo((long)Literal));
                default:
                    return value is TimeSpan iv && Apply(iv.Ticks.CompareTo((long)Literal));
            }
        }

        private bool Apply(int order)
        {
            switch (Operator)
            {
                case WqlComparisonOperator.Equal: return order == 0;
                case WqlComparisonOperator.NotEqual: return order != 0;
                case WqlComparisonOperator.Less: return order < 0;
                case WqlComparisonOperator.Greater: return order > 0;
                case WqlComparisonOperator.LessOrEqual: return order <= 0;
                default: return order >= 0;
            }
        }
    }

    /// <summary>[NOT] LIKE on a string property; a null value is false either way.</summary>
    internal sealed class BoundLike : Bound
    {
        public BoundLike(int index, string propertyName, WqlLikePattern pattern, bool negated)
        {
            Index = index;
            PropertyName = propertyName;
            Pattern = pattern;
            Negated = negated;
        }

        public int Index { get; }

        public string PropertyName { get; }

        public WqlLikePattern Pattern { get; }

        public bool Negated { get; }

        public override bool Evaluate(CimLiteInstance instance)
        {
            var v = instance.Values[Index];
            if (v == null) return false;
            return Pattern.IsMatch(v is char c ? c.ToString() : (string)v) != Negated;
        }
    }

    internal sealed class BoundIsNull : Bound
    {
        public BoundIsNull(int index, string propertyName, bool negated)
        {
            Index = index;
            PropertyName = propertyName;
            Negated = negated;
        }

        public int Index { get; }

        public string PropertyName { get; }

        public bool Negated { get; }

        public override bool Evaluate(CimLiteInstance instance) => (instance.Values[Index] == null) != Negated;
    }

    /// <summary>A test only memory can do (paths, ISA through a reference).</summary>
    internal sealed class BoundInMemory : Bound
    {
        private readonly Func<CimLiteInstance, bool> _test;

        public BoundInMemory(Func<CimLiteInstance, bool> test) { _test = test; }

        public override bool Evaluate(CimLiteInstance instance) => _test(instance);
    }

    /// <summary>
    /// Binds a WHERE clause to each class of a query (WMI semantics): a property the class lacks is NULL;
    /// system properties that are constant per class (__CLASS, __SUPERCLASS, __DYNASTY, __NAMESPACE, __GENUS,
    /// __PROPERTY_COUNT, ISA on __CLASS/__THIS) fold to TRUE/FALSE; literals convert to the property's CIM type.
    /// </summary>
    internal static class WqlBinder
    {
        public static readonly HashSet<string> SystemProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "__CLASS", "__SUPERCLASS", "__DYNASTY", "__NAMESPACE", "__GENUS", "__PROPERTY_COUNT", "__RELPATH", "__PATH",
        };

        /// <summary>Fails with INVALID_QUERY for a property no class of the query has (checked before binding).</summary>
        public static void CheckProperties(WqlExpression? where, IEnumerable<WqlProperty>? selected, string queriedClass, IReadOnlyList<CimLiteClass> classes)
        {
            void Check(WqlProperty p, bool isaAllowed)
            {
                if (SystemProperties.Contains(p.Name)) return;
                if (isaAllowed && string.Equals(p.Name, "__THIS", StringComparison.OrdinalIgnoreCase)) return;
                foreach (var c in classes) if (c.FindProperty(p.Name) != null) return;
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryUnknownProperty(queriedClass, p.Name), queriedClass, p.Name);
            }
            if (selected != null) foreach (var p in selected) Check(p, false);
            Walk(where, Check);
        }

        private static void Walk(WqlExpression? e, Action<WqlProperty, bool> visit)
        {
            switch (e)
            {
                case null: return;
                case WqlLogical l: Walk(l.Left, visit); Walk(l.Right, visit); return;
                case WqlNot n: Walk(n.Operand, visit); return;
                case WqlComparison c:
                    if (c.Left is WqlProperty lp) visit(lp, false);
                    if (c.Right is WqlProperty rp) visit(rp, false);
                    return;
                case WqlLike like: visit(like.Property, false); return;
                case WqlIsNull isNull: visit(isNull.Property, false); return;
                case WqlIsa isa: visit(isa.Property, true); return;
            }
        }

        public static Bound Bind(WqlExpression? e, CimLiteClass c, Func<string, string, CimLiteClass?> findClass)
        {
            switch (e)
            {
                case null: return BoundConstant.True;
                case WqlLogical l:
                    {
                        var left = Bind(l.Left, c, findClass);
                        var right = Bind(l.Right, c, findClass);
                        bool isAnd = l.Operator == WqlLogicalOperator.And;
                        if (left is BoundConstant lc) return lc.Value == isAnd ? right : lc;
                        if (right is BoundConstant rc) return rc.Value == isAnd ? left : rc;
                        return new BoundLogical(isAnd, left, right);
                    }
                case WqlNot n:
                    {
                        var operand = Bind(n.Operand, c, findClass);
                        return operand is BoundConstant k ? BoundConstant.Of(!k.Value) : new BoundNot(operand);
                    }
                case WqlIsNull isNull:
                    {
                        var name = isNull.Property.Name;
                        if (SystemProperties.Contains(name))
                        {
                            if (IsPerInstance(name)) return BoundConstant.Of(isNull.Negated);
                            return BoundConstant.Of((SystemValue(c, name) == null) != isNull.Negated);
                        }
                        int index = CimLiteSession.IndexOfProperty(c, name);
                        if (index < 0) return BoundConstant.Of(!isNull.Negated);
                        return new BoundIsNull(index, c.Properties[index].Name, isNull.Negated);
                    }
                case WqlIsa isa:
                    return BindIsa(isa, c, findClass);
                case WqlLike like:
                    {
                        var name = like.Property.Name;
                        var pattern = WqlLikePattern.Compile(like.Pattern);
                        if (SystemProperties.Contains(name))
                        {
                            if (IsPerInstance(name))
                            {
                                bool relative = string.Equals(name, "__RELPATH", StringComparison.OrdinalIgnoreCase);
                                return new BoundInMemory(i =>
                                {
                                    var path = PathText(i, relative);
                                    return path != null && pattern.IsMatch(path) != like.Negated;
                                });
                            }
                            var sv = SystemValue(c, name);
                            return BoundConstant.Of(sv != null && pattern.IsMatch(Convert.ToString(sv, CultureInfo.InvariantCulture)!) != like.Negated);
                        }
                        int index = CimLiteSession.IndexOfProperty(c, name);
                        if (index < 0) return BoundConstant.False;
                        var p = c.Properties[index];
                        if (p.IsArray) throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryArrayComparison(c.ClassName, p.Name), c.ClassName, p.Name);
                        if (p.CimType != CimType.String && p.CimType != CimType.Char16 && p.CimType != CimType.Reference)
                            throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryLikeNeedsString(c.ClassName, p.Name, p.TypeName), c.ClassName, p.Name);
                        return new BoundLike(index, p.Name, pattern, like.Negated);
                    }
                case WqlComparison cmp:
                    return BindComparison(cmp, c);
                default:
                    throw new ArgumentException("Unknown WQL node.", nameof(e));
            }
        }

        private static bool IsPerInstance(string systemName) =>
            string.Equals(systemName, "__PATH", StringComparison.OrdinalIgnoreCase) || string.Equals(systemName, "__RELPATH", StringComparison.OrdinalIgnoreCase);

        private static string? PathText(CimLiteInstance i, bool relative)
        {
            var path = i.TryGetPath();
            return path == null ? null : relative ? path.RelativePath : path.ToString();
        }

        private static object? SystemValue(CimLiteClass c, string name)
        {
            switch (name.ToUpperInvariant())
            {
                case "__CLASS": return c.ClassName;
                case "__SUPERCLASS": return c.Superclass;
                case "__DYNASTY": return c.Dynasty;
                case "__NAMESPACE": return c.Namespace;
                case "__GENUS": return 2;
                case "__PROPERTY_COUNT": return c.Properties.Count;
                default: return null;
            }
        }

        private static Bound BindIsa(WqlIsa isa, CimLiteClass c, Func<string, string, CimLiteClass?> findClass)
        {
            var target = findClass(c.Namespace, isa.ClassName)
                ?? throw new CimLiteException(CimStatus.InvalidClass, Messages.QueryIsaClassNotFound(c.Namespace, isa.ClassName), isa.ClassName);
            var name = isa.Property.Name;
            if (string.Equals(name, "__CLASS", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "__THIS", StringComparison.OrdinalIgnoreCase))
                return BoundConstant.Of(c.IsA(target.ClassName));
            if (SystemProperties.Contains(name))
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryIsaNeedsClassOrReference(name));
            int index = CimLiteSession.IndexOfProperty(c, name);
            if (index < 0) return BoundConstant.False;
            var p = c.Properties[index];
            if (p.CimType != CimType.Reference || p.IsArray)
                throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryIsaNeedsClassOrReference(p.Name), c.ClassName, p.Name);
            return new BoundInMemory(i =>
            {
                if (!(i.Values[index] is string text)) return false;
                InstancePath path;
                try { path = InstancePath.Parse(text); }
                catch (CimLiteException) { return false; }
                var referenced = findClass(path.Namespace ?? i.Namespace, path.ClassName);
                return referenced != null && referenced.IsA(target.ClassName);
            });
        }

        private static Bound BindComparison(WqlComparison cmp, CimLiteClass c)
        {
            WqlProperty property;
            WqlLiteral literal;
            var op = cmp.Operator;
            if (cmp.Left is WqlProperty lp)
            {
                property = lp;
                literal = (WqlLiteral)cmp.Right;
            }
            else
            {
                property = (WqlProperty)cmp.Right;
                literal = (WqlLiteral)cmp.Left;
                op = Flip(op);
            }
            if (literal.Kind == WqlLiteralKind.Null) return BoundConstant.False;
            var name = property.Name;
            if (SystemProperties.Contains(name))
            {
                if (IsPerInstance(name))
                {
                    var probe = new BoundComparison(-1, name, WqlCompareKind.String, op, LiteralAsString(literal) ?? Mismatch(c, name, "string", literal));
                    bool relative = string.Equals(name, "__RELPATH", StringComparison.OrdinalIgnoreCase);
                    return new BoundInMemory(i => probe.Test(PathText(i, relative)));
                }
                var value = SystemValue(c, name);
                var kind = value is int ? WqlCompareKind.Integer : WqlCompareKind.String;
                var lit = kind == WqlCompareKind.Integer
                    ? (literal.Kind == WqlLiteralKind.Integer ? literal.Value! : Mismatch(c, name, "sint32", literal))
                    : LiteralAsString(literal) ?? Mismatch(c, name, "string", literal);
                return BoundConstant.Of(new BoundComparison(-1, name, kind, op, lit).Test(value));
            }
            int index = CimLiteSession.IndexOfProperty(c, name);
            if (index < 0) return BoundConstant.False;
            var p = c.Properties[index];
            if (p.IsArray) throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryArrayComparison(c.ClassName, p.Name), c.ClassName, p.Name);
            var (k, converted) = ConvertLiteral(c, p, literal);
            return new BoundComparison(index, p.Name, k, op, converted);
        }

        private static WqlComparisonOperator Flip(WqlComparisonOperator op)
        {
            switch (op)
            {
                case WqlComparisonOperator.Less: return WqlComparisonOperator.Greater;
                case WqlComparisonOperator.Greater: return WqlComparisonOperator.Less;
                case WqlComparisonOperator.LessOrEqual: return WqlComparisonOperator.GreaterOrEqual;
                case WqlComparisonOperator.GreaterOrEqual: return WqlComparisonOperator.LessOrEqual;
                default: return op;
            }
        }

        private static string? LiteralAsString(WqlLiteral literal)
        {
            switch (literal.Kind)
            {
                case WqlLiteralKind.String: return (string)literal.Value!;
                case WqlLiteralKind.Integer:
                case WqlLiteralKind.Real: return WqlPrinter.LiteralText(literal);
                default: return null;
            }
        }

        private static object Mismatch(CimLiteClass c, string property, string type, WqlLiteral literal) =>
            throw new CimLiteException(CimStatus.InvalidQuery, Messages.QueryValueMismatch(c.ClassName, property, type, WqlPrinter.LiteralText(literal)), c.ClassName, property);

        private static (WqlCompareKind, object) ConvertLiteral(CimLiteClass c, CimPropertyDeclaration p, WqlLiteral literal)
        {
            switch (p.CimType)
            {
                case CimType.Boolean:
                    if (literal.Kind == WqlLiteralKind.Boolean) return (WqlCompareKind.Boolean, literal.Value!);
                    if (literal.Kind == WqlLiteralKind.String && bool.TryParse(((string)literal.Value!).Trim(), out var b)) return (WqlCompareKind.Boolean, b);
                    break;
                case CimType.String:
                case CimType.Char16:
                case CimType.Reference:
                    var s = LiteralAsString(literal);
                    if (s != null) return (WqlCompareKind.String, s);
                    break;
                case CimType.Real32:
                case CimType.Real64:
                    {
                        if (literal.Kind == WqlLiteralKind.Integer) return (WqlCompareKind.Real, (double)(decimal)literal.Value!);
                        if (literal.Kind == WqlLiteralKind.Real) return (WqlCompareKind.Real, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.String && double.TryParse((string)literal.Value!, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d))
                            return (WqlCompareKind.Real, d);
                        break;
                    }
                case CimType.DateTime:
                    if (literal.Kind == WqlLiteralKind.String)
                    {
                        var text = ((string)literal.Value!).Trim();
                        if (CimDateTime.TryParse(text, out var dt))
                            return dt is TimeSpan ts ? (WqlCompareKind.Interval, ts.Ticks) : (WqlCompareKind.Timestamp, ((DateTimeOffset)dt!).UtcTicks);
                        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
                            return (WqlCompareKind.Timestamp, dto.UtcTicks);
                    }
                    break;
                default:
                    {
                        if (literal.Kind == WqlLiteralKind.Integer) return (WqlCompareKind.Integer, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.Real) return (WqlCompareKind.Real, literal.Value!);
                        if (literal.Kind == WqlLiteralKind.String)
                        {
                            var t = ((string)literal.Value!).Trim();
                            if (decimal.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m)) return (WqlCompareKind.Integer, m);
                            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) return (WqlCompareKind.Real, d);
                        }
                        break;
                    }
            }
            return ((WqlCompareKind)(-1), Mismatch(c, p.Name, p.TypeName, literal));
        }
    }
}
