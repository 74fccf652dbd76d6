using System.Globalization;

namespace CimLite.Mof
{
    /// <summary>The MOF compiler's user-facing sentences (kept beside it; the engine's others are in Messages.cs).</summary>
    internal static class MofMessages
    {
        private static string F(string format, params object?[] args)
        {
            // A 10 MB token or name is quoted by its start and length, as in Messages.
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] is string text) args[i] = Messages.Shorten(text);
            }
            return string.Format(CultureInfo.InvariantCulture, format, args);
        }

        public static string EmbeddedTooDeep(int max) => F("Embedded instance values are nested more than {0} levels deep.", max);
        public static string UnterminatedComment => "The comment is not closed: '/*' has no matching '*/'.";
        public static string UnterminatedString => "The string or char literal is not closed before the end of the line.";
        public static string BadAlias => "'$' must be followed by an alias name.";
        public static string BadChar => "A char16 literal holds exactly one character, such as 'a' or '\\x0041'.";
        public static string UnexpectedCharacter(char c) => F("Unexpected character '{0}'.", c);
        public static string BadNumber(string text) => F("'{0}' is not a valid number.", text);
        public static string BadEscape(string text) => F("'{0}' is not a valid escape sequence; use \\b \\t \\n \\f \\r \\\" \\' \\\\ or \\xHHHH.", text);
        public static string Expected(string what, string found) => F("Expected {0} but found {1}.", what, found);
        public static string UnknownType(string name) => F("'{0}' is not a CIM data type.", name);
        public static string IncludeNotFound(string path) => F("The included file '{0}' does not exist.", path);
        public static string IncludeCycle(string path) => F("The file '{0}' includes itself (directly or through other files).", path);
        public static string IncludeTooDeep(int max) => F("Includes are nested more than {0} files deep.", max);
        public static string CannotRead(string path, string reason) => F("Cannot read the MOF file '{0}': {1}", path, reason);
        public static string NotRegularFile(string path) => F("Cannot read the MOF file '{0}': it is not a regular file (a device, pipe or socket); only regular files are read.", path);
        public static string FileTooLarge(string path, long size, long max) => F("Cannot read the MOF file '{0}': it has {1} bytes, more than the limit of {2} (MofImportOptions.MaxFileSize).", path, size, max);
        public static string NotMof(string path) => F("The included file '{0}' is not MOF (it does not begin with a declaration or #pragma); its content is not shown.", path);
        public static string FileNotFound(string path) => F("The MOF file '{0}' does not exist.", path);
        public static string UnknownPragma(string name) => F("Unknown pragma '{0}' ignored.", name);
        public static string InvalidBytes(string what, string encoding) => F("{0} is not valid {1}: save the file as UTF-8 (or with a byte-order mark), or give its encoding with -Encoding.", what, encoding);

        public static string CannotEncodeName(char c, string encoding) => F("The character U+{0:X4} in a name cannot be written in {1}; use UTF-8.", (int)c, encoding);

        public static string UnknownFlavor(string name) => F("'{0}' is not a qualifier flavor; use EnableOverride, DisableOverride, ToSubclass, Restricted, ToInstance, Translatable or Amended.", name);
        public static string UnknownScope(string name) => F("'{0}' is not a qualifier scope; use class, association, indication, property, reference, method, parameter, qualifier or any.", name);
        public static string UndeclaredQualifier(string name, string ns) => F("Qualifier '{0}' is not declared in namespace '{1}'; import its declaration (e.g. qualifiers.mof) first or in the same import.", name, ns);
        public static string QualifierScope(string name, string element) => F("Qualifier '{0}' may not be used on {1}: its declaration's Scope does not include it.", name, element);
        public static string QualifierType(string name, string type, string value) => F("Qualifier '{0}' is of type {1}; {2} does not fit.", name, type, value);
        public static string DuplicateQualifier(string name) => F("Qualifier '{0}' is given twice.", name);
        public static string ValueType(string element, string type, string value) => F("{0} is of type {1}; {2} does not fit.", element, type, value);
        public static string DuplicateClass(string name) => F("Class '{0}' is declared twice in this import.", name);
        public static string DuplicateQualifierDeclaration(string name) => F("Qualifier '{0}' is declared twice in this import.", name);
        public static string SuperclassNotFound(string className, string superclass) => F("The superclass '{1}' of class '{0}' is neither in this import nor in the namespace.", className, superclass);
        public static string SuperclassCycle(string className) => F("Class '{0}' derives from itself.", className);
        public static string ReferenceClassNotFound(string element, string target) => F("{0} refers to class '{1}', which is neither in this import nor in the namespace.", element, target);
        public static string EmbeddedClassNotFound(string element, string target) => F("{0} embeds class '{1}' (EmbeddedInstance), which is neither in this import nor in the namespace.", element, target);
        public static string EmbeddedNotString(string element) => F("{0} carries EmbeddedInstance/EmbeddedObject and must be of type string.", element);
        public static string OverrideNotFound(string className, string name) => F("Class '{0}' overrides '{1}', but no superclass declares it.", className, name);
        public static string ClassChanged(string ns, string className) => F("Class '{1}' already exists in namespace '{0}' with a different definition; use -Force to change it.", ns, className);
        public static string QualifierDeclarationChanged(string ns, string name) => F("Qualifier '{1}' is already declared in namespace '{0}' differently; use -Force to change it.", ns, name);
        public static string KeysChangeWithInstances(string className) => F("Class '{0}' has instances: its keys cannot change.", className);
        public static string UnknownAlias(string alias) => F("Alias '${0}' is not defined by any instance of this import.", alias);
        public static string AliasCycle(string alias) => F("The instances of this import refer to each other in a cycle through '{0}': each needs the other's path first.", alias);
        public static string PropertyQualifiersIgnored => "Qualifiers on instance property values are not stored (CimLite instances carry instance qualifiers only); ignored.";
        public static string DuplicateAlias(string alias) => F("Alias '${0}' is defined twice.", alias);
        public static string AliasNotReference(string property) => F("Property '{0}' is not a reference: an alias can only initialize references.", property);
        public static string DuplicateProperty(string className, string name) => F("Class '{0}' declares '{1}' twice.", className, name);
        public static string EmbeddedDefault(string element) => F("{0}: an embedded instance value as a class default is not supported (embedded instance values are accepted in instances).", element);
        public static string EmbeddedValueNotEmbedded(string element) => F("{0} is not a string property with EmbeddedInstance or EmbeddedObject; an 'instance of' value needs one.", element);
        public static string EmbeddedClassMismatch(string element, string className, string target) => F("{0} embeds class '{2}' (EmbeddedInstance); an instance of '{1}' is not a '{2}'.", element, className, target);
        public static string NoSuchProperty(string className, string name) => F("Class '{0}' has no property '{1}'.", className, name);
        public static string ReferenceOutsideAssociation(string className, string name) => F("Class '{0}' declares reference '{1}' but is not an association.", className, name);
        public static string ReferenceNotNarrowed(string className, string name, string given, string inherited) => F("Class '{0}' overrides reference '{1}' with class '{2}', which is not a subclass of '{3}': an override may only narrow a reference.", className, name, given, inherited);
        public static string At(MofPosition position, string message) => F("{0}({1},{2}): {3}", position.File, position.Line, position.Column, message);
    }

    internal static class MofErrors
    {
        public static CimLiteException Syntax(MofPosition position, string message) =>
            At(position, new CimLiteException(CimStatus.InvalidParameter, message));

        public static CimLiteException Semantic(MofPosition position, CimStatus status, string message, string? className = null, string? property = null) =>
            At(position, new CimLiteException(status, message, className, property));

        /// <summary>The same failure, its message prefixed with file(line,column) and the position attached.</summary>
        public static CimLiteException At(MofPosition position, CimLiteException inner)
        {
            if (inner.SourceFile != null) return inner;
            var e = new CimLiteException(inner.Status, MofMessages.At(position, inner.Message), inner.ClassName, inner.PropertyName, inner.InstancePath,
                inner.InnerException)
            {
                SourceFile = position.File,
                SourceLine = position.Line,
                SourceColumn = position.Column,
            };
            e.RecommendedAction = inner.RecommendedAction;
            return e;
        }
    }
}
