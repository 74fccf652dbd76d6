using System;
using System.Globalization;

namespace CimLite.Query
{
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
}
