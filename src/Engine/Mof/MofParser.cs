using System;
using System.Collections.Generic;
using System.IO;

namespace CimLite.Mof
{
    /// <summary>
    /// DSP0221 parser: pragmas (include relative to the including file, namespace, locale; others warned and
    /// ignored), qualifier declarations, classes with properties, references, arrays, defaults and methods,
    /// instances with aliases. Keywords are case-insensitive. Every error carries file, line and column.
    /// </summary>
    internal sealed class MofParser
    {
        private readonly MofDocument _document;
        private readonly Func<string, string> _readFile;
        private readonly Action<string>? _fileStarted;
        private readonly HashSet<string> _open = new HashSet<string>(StringComparer.Ordinal);
        private string _namespace;

        private MofParser(MofDocument document, string ns, Func<string, string> readFile, Action<string>? fileStarted)
        {
            _document = document;
            _namespace = ns;
            _readFile = readFile;
            _fileStarted = fileStarted;
        }

        /// <summary>How many files may be open at once through nested <c>#pragma include</c>s (the first file counts).</summary>
        public const int MaxIncludeDepth = 64;

        /// <summary>The default size limit of one MOF file, in bytes (<see cref="MofImportOptions.MaxFileSize"/>).</summary>
        public const long DefaultMaxFileSize = 256L * 1024 * 1024;

        /// <summary>Parses files (and what they include) into one document.</summary>
        public static MofDocument ParseFiles(IEnumerable<string> paths, string ns, Action<string>? fileStarted = null, Func<string, string>? readFile = null, long maxFileSize = DefaultMaxFileSize, System.Text.Encoding? encoding = null)
        {
            var document = new MofDocument();
            var parser = new MofParser(document, ns, readFile ?? (p => MofFiles.Read(p, maxFileSize, encoding)), fileStarted);
            foreach (var path in paths)
            {
                string full;
                bool exists;
                try
                {
                    full = Path.GetFullPath(path);
                    exists = File.Exists(full);
                }
                catch (Exception e) when (MofFiles.IsIoFailure(e))
                {
                    throw new CimLiteException(CimStatus.Failed, Messages.Mof.CannotRead(path, e.Message), innerException: e) { SourceFile = path };
                }
                if (!exists && readFile == null)
                    throw new CimLiteException(CimStatus.NotFound, Messages.Mof.FileNotFound(full)) { SourceFile = full };
                parser.ParseFile(full, null);
            }
            return document;
        }

        /// <summary>Parses MOF text (includes resolve relative to <paramref name="name"/>'s folder).</summary>
        public static MofDocument ParseText(string text, string name, string ns, bool allowPragmas = true, long maxFileSize = DefaultMaxFileSize)
        {
            var document = new MofDocument();
            var parser = new MofParser(document, ns, p => MofFiles.Read(p, maxFileSize, null), null) { _allowPragmas = allowPragmas };
            parser.Parse(text, name, included: false);
            return document;
        }

        /// <summary>
        /// Reads and parses one file. Any failure to read it (not a regular file, over the size limit, no permission,
        /// an I/O error) is FAILED: at <paramref name="includedAt"/> (the including pragma) for an include, else
        /// naming the file.
        /// </summary>
        private void ParseFile(string full, MofPosition? includedAt)
        {
            if (!_open.Add(full)) throw new CimLiteException(CimStatus.InvalidParameter, Messages.Mof.IncludeCycle(full)) { SourceFile = full };
            try
            {
                _fileStarted?.Invoke(full);
                string text;
                try
                {
                    text = _readFile(full);
                }
                catch (Exception e) when (e is CimLiteException || MofFiles.IsIoFailure(e))
                {
                    var failure = e as CimLiteException ?? new CimLiteException(CimStatus.Failed, Messages.Mof.CannotRead(full, e.Message), innerException: e);
                    if (includedAt != null) throw MofErrors.At(includedAt, failure);
                    if (failure.SourceFile == null) failure.SourceFile = full;
                    throw failure;
                }
                Parse(text, full, included: includedAt != null);
            }
            finally { _open.Remove(full); }
        }

        private MofLexer _lexer = null!;
        private MofToken _t;
        private string _file = "";
        // Whether the file being parsed has shown itself to be MOF (a declaration or pragma completed).
        private bool _fileIsMof;

        private void Parse(string text, string file, bool included)
        {
            _document.Files.Add(file);
            var savedLexer = _lexer;
            var savedToken = _t;
            var savedFile = _file;
            var savedIsMof = _fileIsMof;
            _lexer = new MofLexer(text, file);
            _file = file;
            _fileIsMof = false;
            try
            {
                _t = _lexer.Next();
                while (_t.Kind != MofTokenKind.End)
                {
                    Production();
                    _fileIsMof = true;
                }
            }
            catch (CimLiteException e) when (included && !_fileIsMof && e.SourceFile == file)
            {
                // An include can name any file the user can read: until it shows itself to be MOF, an error about it
                // quotes none of its content (a token of a password file would otherwise end up in the message).
                throw MofErrors.Syntax(new MofPosition(file, e.SourceLine, e.SourceColumn), Messages.Mof.NotMof(file));
            }
            _lexer = savedLexer;
            _t = savedToken;
            _file = savedFile;
            _fileIsMof = savedIsMof;
        }

        private MofPosition Pos(MofToken t) => new MofPosition(_file, t.Line, t.Column);

        private MofPosition Here => Pos(_t);

        private void Move() => _t = _lexer.Next();

        private static string Describe(MofToken t)
        {
            switch (t.Kind)
            {
                case MofTokenKind.End: return Messages.Mof.TheEndOfTheFile;
                case MofTokenKind.String: return Messages.Mof.AString;
                case MofTokenKind.Alias: return "'$" + t.Text + "'";
                default: return "'" + t.Text + "'";
            }
        }

        private CimLiteException Unexpected(string expected) => MofErrors.Syntax(Here, Messages.Mof.Expected(expected, Describe(_t)));

        private void Expect(char punct)
        {
            if (!_t.Is(punct)) throw Unexpected("'" + punct + "'");
            Move();
        }

        private string Identifier(string what)
        {
            if (_t.Kind != MofTokenKind.Identifier) throw Unexpected(what);
            var text = _t.Text;
            Move();
            return text;
        }

        private void Keyword(string word)
        {
            if (!_t.IsKeyword(word)) throw Unexpected("'" + word + "'");
            Move();
        }

        private void Production()
        {
            if (_t.Is('#')) { Pragma(); return; }
            var start = _t;
            List<MofQualifier> qualifiers = _t.Is('[') ? QualifierList() : new List<MofQualifier>();
            if (_t.IsKeyword("class")) { ClassDeclaration(qualifiers, qualifiers.Count > 0 ? Pos(start) : Here); return; }
            if (_t.IsKeyword("instance")) { InstanceDeclaration(qualifiers, qualifiers.Count > 0 ? Pos(start) : Here); return; }
            if (_t.IsKeyword("qualifier") && qualifiers.Count == 0) { QualifierDeclaration(); return; }
            throw Unexpected(qualifiers.Count == 0 ? Messages.Mof.ADeclarationOrPragma : Messages.Mof.ClassOrInstance);
        }

        private bool _allowPragmas = true;

        private void Pragma()
        {
            var at = Here;
            if (!_allowPragmas) throw Unexpected(Messages.Mof.ADeclaration);
            Move();
            Keyword("pragma");
            var namePos = Here;
            var name = Identifier(Messages.Mof.APragmaName);
            Expect('(');
            if (_t.Kind != MofTokenKind.String) throw Unexpected(Messages.Mof.AString);
            var argument = StringValue();
            Expect(')');
            _fileIsMof = true; // a complete pragma: what follows may be quoted in errors
            if (string.Equals(name, "include", StringComparison.OrdinalIgnoreCase))
            {
                string target;
                bool exists;
                try
                {
                    var baseDir = Path.GetDirectoryName(_file) ?? "";
                    target = Path.GetFullPath(Path.Combine(baseDir, argument.Replace('\\', Path.DirectorySeparatorChar)));
                    exists = File.Exists(target);
                }
                catch (Exception e) when (MofFiles.IsIoFailure(e))
                {
                    // A path the file system refuses (a NUL, too long, an unsupported form).
                    throw MofErrors.At(at, new CimLiteException(CimStatus.Failed, Messages.Mof.CannotRead(argument, e.Message), innerException: e));
                }
                if (!exists) throw MofErrors.Semantic(at, CimStatus.NotFound, Messages.Mof.IncludeNotFound(target));
                if (_open.Contains(target)) throw MofErrors.Syntax(at, Messages.Mof.IncludeCycle(target));
                if (_open.Count >= MaxIncludeDepth) throw MofErrors.Semantic(at, CimStatus.Failed, Messages.Mof.IncludeTooDeep(MaxIncludeDepth));
                ParseFile(target, at);
            }
            else if (string.Equals(name, "namespace", StringComparison.OrdinalIgnoreCase))
            {
                var ns = argument.Replace('\\', '/');
                if (ns.StartsWith("//", StringComparison.Ordinal))
                {
                    int slash = ns.IndexOf('/', 2);
                    ns = slash < 0 ? "" : ns.Substring(slash + 1);
                }
                try { _namespace = CimName.NormalizeNamespace(ns); }
                catch (CimLiteException e) { throw MofErrors.At(at, e); }
            }
            else if (!string.Equals(name, "locale", StringComparison.OrdinalIgnoreCase))
                _document.Warnings.Add(Messages.Mof.At(namePos, Messages.Mof.UnknownPragma(name)));
        }

        private string StringValue()
        {
            var sb = new System.Text.StringBuilder();
            while (_t.Kind == MofTokenKind.String)
            {
                sb.Append(_t.Text);
                Move();
            }
            return sb.ToString();
        }

        private List<MofQualifier> QualifierList()
        {
            var list = new List<MofQualifier>();
            Expect('[');
            while (true)
            {
                var q = new MofQualifier { Position = Here };
                q.Name = Identifier(Messages.Mof.AQualifierName);
                if (_t.Is('('))
                {
                    Move();
                    q.Value = Value(allowArray: false);
                    Expect(')');
                }
                else if (_t.Is('{')) q.Value = ArrayValue();
                if (_t.Is(':'))
                {
                    Move();
                    while (_t.Kind == MofTokenKind.Identifier)
                    {
                        q.Flavors.Add(_t.Text);
                        Move();
                    }
                    if (q.Flavors.Count == 0) throw Unexpected(Messages.Mof.AFlavor);
                }
                list.Add(q);
                if (_t.Is(',')) { Move(); continue; }
                Expect(']');
                return list;
            }
        }

        private MofValue ArrayValue()
        {
            var at = Here;
            Expect('{');
            var items = new List<MofValue>();
            if (!_t.Is('}'))
                while (true)
                {
                    items.Add(Value(allowArray: false));
                    if (_t.Is(',')) { Move(); continue; }
                    break;
                }
            Expect('}');
            return new MofValue(MofValueKind.Array, items, at);
        }

        private MofValue Value(bool allowArray)
        {
            var at = Here;
            switch (_t.Kind)
            {
                case MofTokenKind.String: return new MofValue(MofValueKind.String, StringValue(), at);
                case MofTokenKind.Integer: { var v = _t.Value; Move(); return new MofValue(MofValueKind.Integer, v, at); }
                case MofTokenKind.Real: { var v = _t.Value; Move(); return new MofValue(MofValueKind.Real, v, at); }
                case MofTokenKind.Char: { var v = _t.Value; Move(); return new MofValue(MofValueKind.Char, v, at); }
                case MofTokenKind.Alias: { var v = _t.Text; Move(); return new MofValue(MofValueKind.Alias, v, at); }
                case MofTokenKind.Identifier:
                    if (_t.IsKeyword("true") || _t.IsKeyword("false"))
                    {
                        var b = _t.IsKeyword("true");
                        Move();
                        return new MofValue(MofValueKind.Boolean, b, at);
                    }
                    if (_t.IsKeyword("null")) { Move(); return new MofValue(MofValueKind.Null, null, at); }
                    if (_t.IsKeyword("instance")) return new MofValue(MofValueKind.Instance, EmbeddedInstance(at), at);
                    break;
                case MofTokenKind.Punct:
                    if (_t.Is('{') && allowArray) return ArrayValue();
                    break;
            }
            throw Unexpected(Messages.Mof.AValue);
        }

        private void QualifierDeclaration()
        {
            var decl = new MofQualifierDeclaration { Position = Here, Namespace = _namespace };
            Move();
            decl.Name = Identifier(Messages.Mof.AQualifierName);
            Expect(':');
            var typePos = Here;
            var typeName = Identifier(Messages.Mof.AType);
            decl.Type = DataType(typeName, typePos, false);
            if (_t.Is('['))
            {
                decl.ArraySize = ArraySuffix();
                decl.Type = new CimTypeInfo(decl.Type.Type, true);
            }
            if (_t.Is('='))
            {
                Move();
                decl.Default = Value(allowArray: true);
            }
            while (_t.Is(','))
            {
                Move();
                if (_t.IsKeyword("scope")) { Move(); decl.Scopes.AddRange(NameList()); }
                else if (_t.IsKeyword("flavor")) { Move(); decl.Flavors.AddRange(NameList()); }
                else throw Unexpected(Messages.Mof.ScopeOrFlavor);
            }
            Expect(';');
            if (decl.Scopes.Count == 0) throw MofErrors.Syntax(Here, Messages.Mof.Expected(Messages.Mof.AScope, "';'"));
            _document.Items.Add(decl);
        }

        private List<(string, MofPosition)> NameList()
        {
            var list = new List<(string, MofPosition)>();
            Expect('(');
            while (true)
            {
                var at = Here;
                list.Add((Identifier(Messages.Mof.AName), at));
                if (_t.Is(',')) { Move(); continue; }
                break;
            }
            Expect(')');
            return list;
        }

        private int? ArraySuffix()
        {
            Expect('[');
            int? size = null;
            if (_t.Kind == MofTokenKind.Integer)
            {
                var v = _t.Value;
                if (!(v is long l) || l <= 0 || l > int.MaxValue) throw MofErrors.Syntax(Here, Messages.Mof.BadNumber(_t.Text));
                size = (int)l;
                Move();
            }
            Expect(']');
            return size;
        }

        private CimTypeInfo DataType(string name, MofPosition at, bool isArray)
        {
            if (string.Equals(name, "ref", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "object", StringComparison.OrdinalIgnoreCase) ||
                !CimTypeInfo.TryParse(name, out var info))
                throw MofErrors.Syntax(at, Messages.Mof.UnknownType(name));
            return isArray ? new CimTypeInfo(info!.Type, true) : info!;
        }

        private void ClassDeclaration(List<MofQualifier> qualifiers, MofPosition at)
        {
            var c = new MofClass { Position = at, Namespace = _namespace, Qualifiers = qualifiers };
            Move();
            c.Name = Identifier(Messages.Mof.AClassName);
            if (_t.Is(':'))
            {
                Move();
                c.SuperclassPosition = Here;
                c.Superclass = Identifier(Messages.Mof.ASuperclassName);
            }
            Expect('{');
            while (!_t.Is('}')) c.Features.Add(Feature(forParameter: false));
            Move();
            Expect(';');
            _document.Items.Add(c);
        }

        private MofFeature Feature(bool forParameter)
        {
            var f = new MofFeature { Position = Here };
            if (_t.Is('[')) f.Qualifiers = QualifierList();
            var typePos = Here;
            var typeName = Identifier(forParameter ? Messages.Mof.AParameterType : Messages.Mof.APropertyOrMethodType);
            f.Position = typePos;
            bool isRef = false;
            if (_t.IsKeyword("ref"))
            {
                Move();
                isRef = true;
            }
            f.Name = Identifier(forParameter ? Messages.Mof.AParameterName : Messages.Mof.APropertyOrMethodName);
            CimTypeInfo scalar;
            if (isRef)
            {
                if (!CimName.IsValid(typeName)) throw MofErrors.Syntax(typePos, Messages.Mof.UnknownType(typeName));
                scalar = new CimTypeInfo(CimType.Reference, false, typeName);
            }
            else scalar = DataType(typeName, typePos, false);
            if (!forParameter && _t.Is('('))
            {
                Move();
                f.Type = scalar;
                f.Parameters = new List<MofFeature>();
                if (!_t.Is(')'))
                    while (true)
                    {
                        f.Parameters.Add(Feature(forParameter: true));
                        if (_t.Is(',')) { Move(); continue; }
                        break;
                    }
                Expect(')');
                Expect(';');
                return f;
            }
            f.Type = scalar;
            if (_t.Is('['))
            {
                f.ArraySize = ArraySuffix();
                f.Type = new CimTypeInfo(scalar.Type, true, scalar.ReferenceClass);
            }
            if (_t.Is('='))
            {
                Move();
                f.Default = Value(allowArray: true);
            }
            if (!forParameter) Expect(';');
            return f;
        }

        private void InstanceDeclaration(List<MofQualifier> qualifiers, MofPosition at)
        {
            var i = new MofInstance { Position = at, Namespace = _namespace, Qualifiers = qualifiers };
            Move();
            Keyword("of");
            i.ClassName = Identifier(Messages.Mof.AClassName);
            if (_t.IsKeyword("as"))
            {
                Move();
                if (_t.Kind != MofTokenKind.Alias) throw Unexpected(Messages.Mof.AnAlias);
                i.Alias = _t.Text;
                Move();
            }
            InstanceBody(i);
            Expect(';');
            _document.Items.Add(i);
        }

        /// <summary>An embedded <c>instance of X { ... }</c> value (no alias, no trailing ';': the property's ';' ends it).</summary>
        private MofInstance EmbeddedInstance(MofPosition at)
        {
            // Each level of embedding is a level of recursion here, in the compiler and in the writer: a hostile
            // file 100,000 levels deep must be an error at its position, not a stack overflow of the process.
            if (++_embeddingDepth > MaxEmbeddingDepth) throw MofErrors.Syntax(at, Messages.Mof.EmbeddedTooDeep(MaxEmbeddingDepth));
            var i = new MofInstance { Position = at, Namespace = _namespace };
            Move();
            Keyword("of");
            i.ClassName = Identifier(Messages.Mof.AClassName);
            InstanceBody(i);
            _embeddingDepth--;
            return i;
        }

        /// <summary>How deeply embedded instance values may nest (<c>instance of X { P = instance of Y { … }; }</c>).</summary>
        public const int MaxEmbeddingDepth = 100;

        private int _embeddingDepth;

        private void InstanceBody(MofInstance i)
        {
            Expect('{');
            while (!_t.Is('}'))
            {
                var pq = _t.Is('[') ? QualifierList() : new List<MofQualifier>();
                var ppos = Here;
                var name = Identifier(Messages.Mof.APropertyName);
                Expect('=');
                var value = Value(allowArray: true);
                Expect(';');
                i.Properties.Add((name, value, pq, ppos));
            }
            Move();
        }
    }
}
