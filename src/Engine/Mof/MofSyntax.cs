using System.Collections.Generic;

namespace CimLite.Mof
{
    /// <summary>A place in a MOF file: file path, 1-based line and column.</summary>
    public sealed class MofPosition
    {
        /// <summary>Creates a position.</summary>
        public MofPosition(string file, int line, int column)
        {
            File = file;
            Line = line;
            Column = column;
        }

        /// <summary>The file path.</summary>
        public string File { get; }

        /// <summary>The 1-based line.</summary>
        public int Line { get; }

        /// <summary>The 1-based column.</summary>
        public int Column { get; }

        /// <inheritdoc />
        public override string ToString() => File + "(" + Line + "," + Column + ")";
    }

    internal enum MofValueKind { Null, Boolean, Integer, Real, String, Char, Array, Alias, Instance }

    /// <summary>A literal as written: typed later against the declaration it initializes.</summary>
    internal sealed class MofValue
    {
        public MofValue(MofValueKind kind, object? value, MofPosition position)
        {
            Kind = kind;
            Value = value;
            Position = position;
        }

        public MofValueKind Kind { get; }

        /// <summary>bool, long/ulong (Integer), double (Real), string (String, Alias name), char, List&lt;MofValue&gt; (Array), MofInstance (Instance: an embedded <c>instance of</c>).</summary>
        public object? Value { get; }

        public MofPosition Position { get; }

        public List<MofValue> Items => (List<MofValue>)Value!;
    }

    internal sealed class MofQualifier
    {
        public string Name = "";
        public MofValue? Value;
        public List<string> Flavors = new List<string>();
        public MofPosition Position = null!;
    }

    internal abstract class MofItem
    {
        public MofPosition Position = null!;
        public string Namespace = "";
        public List<MofQualifier> Qualifiers = new List<MofQualifier>();
    }

    internal sealed class MofQualifierDeclaration : MofItem
    {
        public string Name = "";
        public CimTypeInfo Type = null!;
        public int? ArraySize;
        public MofValue? Default;
        public List<(string Name, MofPosition Position)> Scopes = new List<(string, MofPosition)>();
        public List<(string Name, MofPosition Position)> Flavors = new List<(string, MofPosition)>();
    }

    internal sealed class MofFeature
    {
        public List<MofQualifier> Qualifiers = new List<MofQualifier>();
        public string Name = "";
        public CimTypeInfo Type = null!;
        public int? ArraySize;
        public MofValue? Default;
        public MofPosition Position = null!;
        /// <summary>Non-null for methods.</summary>
        public List<MofFeature>? Parameters;
    }

    internal sealed class MofClass : MofItem
    {
        public string Name = "";
        public string? Superclass;
        public MofPosition? SuperclassPosition;
        public List<MofFeature> Features = new List<MofFeature>();
    }

    internal sealed class MofInstance : MofItem
    {
        public string ClassName = "";
        public string? Alias;
        public List<(string Name, MofValue Value, List<MofQualifier> Qualifiers, MofPosition Position)> Properties =
            new List<(string, MofValue, List<MofQualifier>, MofPosition)>();
    }

    /// <summary>Everything one import parsed, in file order (includes expanded in place).</summary>
    internal sealed class MofDocument
    {
        public List<MofItem> Items = new List<MofItem>();
        public List<string> Warnings = new List<string>();
        public List<string> Files = new List<string>();
    }
}
