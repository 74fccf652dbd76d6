using System.Globalization;
using CimLite.Mof;

namespace CimLite
{
    /// <summary>Every user-facing sentence the engine produces, in one place.</summary>
    internal static class Messages
    {
        /// <summary>Quoted texts longer than this are shortened in messages (a 10 MB name must not make a 10 MB message).</summary>
        internal const int MaxQuotedLength = 1000;

        private static string F(string format, params object?[] args)
        {
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] is string text && text.Length > MaxQuotedLength) args[i] = Shorten(text);
            }
            return string.Format(CultureInfo.InvariantCulture, format, args);
        }

        /// <summary>The first 100 characters of a long text and its length, such as <c>xxx… (10485760 characters)</c>.</summary>
        internal static string Shorten(string text)
        {
            if (text.Length <= MaxQuotedLength) return text;
            int keep = char.IsHighSurrogate(text[99]) ? 99 : 100;
            return string.Format(CultureInfo.InvariantCulture, "{0}… ({1} characters)", text.Substring(0, keep), text.Length);
        }

        // Schema and names
        public static string UnknownCimType(string? text) => F("'{0}' is not a CIM type. Use boolean, string, char16, uint8..uint64, sint8..sint64, real32, real64, datetime, ref:<Class>, or any of these with [] for an array.", text);
        public static string InvalidNamespaceName(string ns) => F("'{0}' is not a valid namespace name: use names of letters, digits and underscores separated by '/' or '\\', such as root/cimv2.", ns);
        public static string InvalidClassName(string name) => F("'{0}' is not a valid class name: a class name starts with a letter or underscore and holds only letters, digits and underscores.", name);
        public static string InvalidPropertyName(string className, string name) => F("Class '{0}': '{1}' is not a valid property name: a property name starts with a letter or underscore and holds only letters, digits and underscores.", className, name);
        public static string InvalidQualifierName(string name) => F("'{0}' is not a valid qualifier name.", name);
        public static string InvalidQualifierValue(string name, string value) => F("Qualifier '{0}': {1} is not a qualifier value; use a boolean, string, number, or an array of these.", name, value);
        public static string QualifierOverrideDisabled(string qualifier, string className) => F("Qualifier '{0}' of class '{1}' has the DisableOverride flavor: it cannot be given another value.", qualifier, className);
        public static string DuplicateProperty(string className, string property) => F("Class '{0}' declares property '{1}' twice.", className, property);
        public static string PropertyOverrideTypeChange(string className, string property, string inherited, string given) => F("Class '{0}' cannot change the type of inherited property '{1}' from {2} to {3}.", className, property, inherited, given);
        public static string KeyTypeNotAllowed(string className, string property, string type) => F("Class '{0}': property '{1}' of type {2} cannot be a key: keys cannot be arrays or reals.", className, property, type);
        public static string KeyAddedUnderKeyedAncestor(string className, string property, string keyClass) => F("Class '{0}' cannot add key property '{1}': its ancestor '{2}' already defines the keys.", className, property, keyClass);
        public static string KeyAddedUnderConcreteAncestor(string className, string property, string ancestor) => F("Class '{0}' cannot add key property '{1}': its ancestor '{2}' is concrete, so keys may only be added when every ancestor is abstract and key-less.", className, property, ancestor);
        public static string UnknownKeyProperty(string className, string property) => F("Class '{0}' has no property '{1}' to make a key.", className, property);
        public static string ReservedName(string name) => F("'{0}' is reserved: names starting with two underscores belong to WMI system classes and properties.", name);

        // Classes
        public static string ClassNotFound(string ns, string className) => F("Class '{1}' does not exist in namespace '{0}'.", ns, className);
        public static string NamespaceNotFound(string ns) => F("Namespace '{0}' does not exist.", ns);
        public static string ClassAlreadyExists(string ns, string className) => F("Class '{1}' already exists in namespace '{0}'.", ns, className);
        public static string SuperclassNotFound(string ns, string className, string superclass) => F("Cannot create class '{1}': its superclass '{2}' does not exist in namespace '{0}'.", ns, className, superclass);
        public static string ClassHasChildren(string className, string children) => F("Class '{0}' has subclasses ({1}); remove them first or use -Force to remove them too.", className, children);
        public static string ChangeWithStoredData(string className, string property, string change, long instances, long queued) =>
            F("Class '{0}' cannot change property '{1}' ({2}) while {3} stored instance(s) and {4} queued indication(s) of the class hold values of the old definition; remove the instances and receive the queued indications first.", className, property, change, instances, queued);
        public static string KeyRootChangeWithInstances(string className, string oldRoot, string newRoot, long instances) =>
            F("Class '{0}' cannot move its keys from class '{1}' to class '{2}' while it has {3} stored instance(s); remove them first.", className, oldRoot, newRoot, instances);
        public const string PropertyRemoved = "removed";
        public static string ClassHasInstances(string className, long count) => F("Class '{0}' has {1} instance(s); remove them first or use -Force to remove them too.", className, count);

        // Instances
        public static string NoSuchProperty(string className, string property) => F("Class '{0}' has no property '{1}'.", className, property);
        public static string NullKey(string className, string property) => F("Key property '{1}' of class '{0}' is null: every key must have a value.", className, property);
        public static string NullRequired(string className, string property) => F("Property '{1}' of class '{0}' is Required and cannot be null.", className, property);
        public static string AbstractClass(string className) => F("Class '{0}' is abstract: it cannot have instances. Create an instance of a concrete subclass.", className);
        public static string IndicationClass(string className) => F("Class '{0}' is an indication class: its instances are posted to the posted queue, not stored.", className);
        public static string InstanceAlreadyExists(string path) => F("Instance '{0}' already exists.", path);
        public static string KeyHeldByOtherClass(string path, string otherClass) => F("Cannot put '{0}': an instance of class '{1}' already holds that key (instances cannot move between classes of one hierarchy).", path, otherClass);
        public static string KeyHeldByOtherClassAction(string otherClass) => F("Remove the '{0}' instance first, or put the instance as class '{0}'.", otherClass);
        public static string InstanceNotFound(string path) => F("Instance '{0}' does not exist.", path);
        public static string PartialPutOfMissingInstance(string path) => F("Cannot update properties of '{0}': the instance does not exist (a partial put only updates).", path);
        public static string CreateOnlyWithUpdateOnly => "CreateOnly and UpdateOnly cannot be combined.";
        public static string CreateOnlyWithPropertyList => "A partial put (a property list) always updates: it cannot be combined with CreateOnly.";
        public static string PathClassMismatch(string path, string className) => F("Path '{0}' does not name class '{1}' or one of its subclasses.", path, className);
        public static string PathKeyMismatch(string path, string className, string keys) => F("Path '{0}' does not give exactly the keys of class '{1}' ({2}).", path, className, keys);
        public static string PathNeedsKeys(string className) => F("Class '{0}' has keys; the path must name them.", className);

        // Values
        public static string TypeMismatch(string className, string property, string value, string type, string reason) => F("Cannot convert value '{2}' to {3} for property '{1}' of class '{0}': {4}", className, property, value, type, reason);
        public static string ArrayNullElement => "array elements cannot be null.";
        public static string ArrayForScalar => "the property is not an array.";
        public static string NotABoolean => "expected $true or $false.";
        public static string NotAString(string type) => F("a {0} is not a string.", type);
        public static string NotAChar => "expected a single character.";
        public static string NotAnInteger => "expected a whole number.";
        public static string NotAReal => "expected a number.";
        public static string NotADateTime => "expected a DateTime, a TimeSpan, or CIM datetime text (yyyymmddHHMMSS.mmmmmmsUUU or ddddddddHHMMSS.mmmmmm:000).";
        public static string NegativeInterval => "CIM intervals cannot be negative.";
        public static string DictionaryForValue => "a hashtable or dictionary is not a CIM value.";
        public static string NotAReference => "expected an instance path such as root/cimv2:Disk.DeviceId=\"C:\" or an instance.";
        public static string OutOfRange(string type) => F("the value is outside the range of {0}.", type);
        public static string OutOfRangeWithBounds(string type, decimal min, decimal max) => F("the value is outside the range of {0} ({1}..{2}).", type, min, max);

        // Paths
        public static string MalformedPath(string path, int position, string expected) => F("'{0}' is not a valid instance path: at position {1}, {2}", path, position, expected);
        public static string ExpectedClassName => "expected a class name.";
        public static string ExpectedNamespace => "expected a namespace.";
        public static string ExpectedKeys => "expected '.' and key values, or '=@' for a singleton.";
        public static string ExpectedKeyName => "expected a key property name.";
        public static string ExpectedEquals => "expected '='.";
        public static string ExpectedValue => "expected a quoted string, a number, TRUE or FALSE.";
        public static string ExpectedClosingQuote => "expected a closing quote.";
        public static string ExpectedComma => "expected ',' before the next key.";
        public static string ExpectedEnd => "expected the end of the path.";
        public static string DuplicateKey(string key) => F("key '{0}' is given twice.", key);

        // Repository
        public static string NotADatabase(string path) => F("'{0}' is not a CimLite repository: it is not a SQLite database. The file was not changed.", path);
        public static string ForeignSchemaObject(string path, string type, string name) => F("'{0}' holds {1} '{2}', which CimLite did not create: a repository must not carry SQL of its own (it would run whenever the repository is used). Nothing was changed; remove the object with a SQLite tool if you trust the file, or restore it from a backup.", path, type, name);
        public static string ChangedSchemaObject(string path, string type, string name) => F("'{0}' holds {1} '{2}' with a definition CimLite did not create: a repository must not carry SQL of its own. Nothing was changed; restore the file from a backup.", path, type, name);
        public static string ForeignDatabase(string path) => F("'{0}' is not a CimLite repository: it is a SQLite database of another application. The file was not changed.", path);
        public static string NewerFormat(string path, int found, int supported) => F("'{0}' is a CimLite repository of format {1}, newer than this version of CimLite understands (up to {2}). Update CimLite; the file was not changed.", path, found, supported);
        public static string EmptyReadOnly(string path) => F("'{0}' is not a CimLite repository yet, and a read-only session cannot create one.", path);
        public static string RepositoryNotFound(string path) => F("Repository '{0}' does not exist.", path);
        public static string RepositoryDamaged(string path, string reason) => F("Repository '{0}' is damaged ({1}). Restore it from a backup; this operation did not change the file.", path, reason);
        public static string RepositoryTruncated(string path, long length, long expected) => F("Repository '{0}' is damaged: the file is {1} bytes long but its header records {2} bytes (it was cut short). Restore it from a backup; the file was not changed.", path, length, expected);
        public static string HotJournalReadOnly(string path, string journal) => F("Repository '{0}' cannot be opened read-only: '{1}' is the journal of an interrupted write, which must be rolled back first. Open the repository read-write once (SQLite then rolls the journal back or discards it), or restore it from a backup. The file was not changed.", path, journal);
        public static string UnusablePath(string path, string reason) => F("Cannot use '{0}' as a repository file: {1}", path, reason);

        public static string SharedFolderOwner(string folder, uint owner, uint me) => F("its folder '{0}' belongs to another user (uid {1}; you are uid {2}), who could replace or read the repository", folder, owner, me);

        public static string SharedFolderWritable(string folder, string mode) => F("its folder '{0}' is writable by every user (mode {1}): another user could plant or replace its files", folder, mode);

        public static string SharedFileOwner(string file, uint owner, uint me) => F("'{0}' belongs to another user (uid {1}; you are uid {2}), who could read and change it", file, owner, me);

        public static string SharedFileWritable(string file, string mode) => F("'{0}' is writable by other users (mode {1})", file, mode);

        public static string SharedFileRefused(string path, string reason) => F("Refusing to use repository '{0}': {1}. Use a folder of your own, or -AllowSharedFile to use it anyway.", path, reason);

        public static string SharedFileReadOnly(string path, string reason) => F("Repository '{0}' is opened read-only although {1}: its contents may have been written by someone else.", path, reason);
        public static string PathIsFolder => "it is a folder.";
        public static string CannotOpen(string path, string reason) => F("Cannot open repository '{0}': {1}", path, reason);
        public static string ReadOnlySession(string path) => F("The session for '{0}' is read-only: it cannot change the repository.", path);
        public static string CorruptStoredData(int position) => F("The repository holds damaged data (at character {0} of a stored value).", position);
        public static string RepositoryBusy(string path) => F("Repository '{0}' is busy: another session or process held its write lock longer than the busy timeout. Nothing was changed; try again.", path);
        public static string OpenedImmutable(string path) => F("Repository '{0}' is in a folder this session cannot write, so it was opened as an unchanging file: changes that others make while it is open are not seen.", path);

        public static string OperationStopped(string path) => F("The operation on repository '{0}' was stopped; nothing of it was written.", path);

        public static string RepositoryError(string path, string reason) => F("Repository '{0}' reported an error: {1}", path, reason);
        public static string SessionClosed => "The session is closed.";

        // Repository on PostgreSQL (issue 18; the repository is named "host:port/database, schema S", never with a password)
        public static string PostgresForeignSchema(string repository, string what) => F("'{0}' is not a CimLite repository: the schema holds {1}, which CimLite did not create. Nothing was changed; name an empty or new schema (Search Path), or a CimLite one.", repository, what);
        public static string PostgresNewerFormat(string repository, int found, int supported) => F("'{0}' is a CimLite repository of format {1}, newer than this version of CimLite understands (up to {2}). Update CimLite; nothing was changed.", repository, found, supported);
        public static string PostgresBadSchemaName(string name) => F("'{0}' cannot name the repository's schema: use letters, digits, '_' or '$' (at most 63 characters, not starting with a digit or '$').", name);
        public static string PostgresNotUtf8(string repository, string encoding) => F("'{0}' cannot hold a CimLite repository: its database encoding is {1}, and CimLite needs UTF8 (create the database with ENCODING 'UTF8'). Nothing was changed.", repository, encoding);
        public const string PostgresNeedsCore = "A PostgreSQL repository needs PowerShell 7.4 or later (.NET 8+): Windows PowerShell 5.1 (.NET Framework) cannot load the PostgreSQL backend. Use a repository file here, or run PowerShell 7.";
        public static string PostgresBackendMissing(string folder) => F("The PostgreSQL backend is not installed: CimLite.Engine.Postgres.dll was not found in '{0}' or its 'postgres' folder. Reinstall the CimLite module (its folder carries the backend in 'postgres/').", folder);
        public static string PostgresBackendUnloadable(string folder, string reason) => F("The PostgreSQL backend in '{0}' cannot be loaded (it needs PowerShell 7.4 or later, and the PostgreSQL driver and its dependencies beside it): {1}", folder, reason);
        public const string ConnectionStringRequired = "A connection string is required.";
        public static string PostgresUnavailableFeature(string repository, string feature) => F("{1} is not available yet for repository '{0}' (PostgreSQL).", repository, feature);
        public const string PostgresTransactionAborted = "a statement of this transaction failed earlier (reported then: a deadlock with another client, or a lock wait past the busy timeout), so PostgreSQL rolled back the whole transaction; nothing of it was written.";

        // Queries (WQL)
        public static string MalformedQuery(int position, string expected) => F("The query is not valid WQL: at position {0}, {1}", position, expected);
        public static string QueryExpectedSelect => "expected SELECT.";
        public static string QueryExpectedPropertyList => "expected '*' or a list of property names.";
        public static string QueryExpectedPropertyName => "expected a property name.";
        public static string QueryExpectedFrom => "expected ',' or FROM.";
        public static string QueryExpectedClassName => "expected a class name.";
        public static string QueryExpectedWhere => "expected WHERE or the end of the query.";
        public static string QueryExpectedEnd => "expected AND, OR, ')' or the end of the query.";
        public static string QueryExpectedOperand => "expected a property name, a value, NOT or '('.";
        public static string QueryExpectedOperator => "expected =, <>, !=, <, >, <=, >=, LIKE, NOT LIKE, IS [NOT] NULL or ISA.";
        public static string QueryExpectedNull => "expected NULL.";
        public static string QueryExpectedLike => "expected LIKE after NOT.";
        public static string QueryExpectedClosingParenthesis => "expected ')'.";
        public static string QueryExpectedPattern => "expected a quoted LIKE pattern.";
        public static string QueryExpectedClassLiteral => "expected a quoted class name after ISA.";
        public static string QueryExpectedValue => "expected a quoted string, a number, TRUE, FALSE or NULL.";
        public static string QueryExpectedNumber => "expected a number after the sign.";
        public static string QueryExpectedClosingQuote => "expected a closing quote.";
        public static string QueryUnexpectedCharacter(char c) => F("unexpected character '{0}' (U+{1:X4}).", c < ' ' ? '?' : c, (int)c);
        public static string QueryNumberOutOfRange => "the number is too large.";
        public static string QueryTwoValues => "one side of a comparison must be a property name.";
        public static string QueryTwoProperties => "a property can only be compared with a value, not with another property.";
        public static string QueryBadPattern(string detail) => F("the LIKE pattern is not valid: {0}", detail);
        public static string QueryPatternUnclosedSet => "'[' without a closing ']'.";
        public static string QueryPatternBadRange => "a range such as [a-z] must go from a lower to a higher character.";
        public static string QueryInvalidClassName(string name) => F("'{0}' is not a class name.", name);
        public static string QueryTooDeep => "the expression is nested too deeply.";
        public static string QueryTooManyConditions(int max) => F("the expression has more than {0} conditions.", max);
        public static string QueryEmpty => "the query is empty: expected SELECT.";
        public static string QueryUnknownProperty(string className, string property) => F("The query names property '{1}', which class '{0}' and its subclasses do not have.", className, property);
        public static string QueryIsaClassNotFound(string ns, string className) => F("The query's ISA names class '{1}', which does not exist in namespace '{0}'.", ns, className);
        public static string QueryValueMismatch(string className, string property, string type, string value) => F("The query compares property '{1}' of class '{0}' (type {2}) with {3}, which is not a value of that type.", className, property, type, value);
        public static string QueryArrayComparison(string className, string property) => F("The query compares array property '{1}' of class '{0}': arrays can only be tested with IS NULL and IS NOT NULL.", className, property);
        public static string QueryLikeNeedsString(string className, string property, string type) => F("The query applies LIKE to property '{1}' of class '{0}' of type {2}: LIKE applies to strings.", className, property, type);
        public static string QueryIsaNeedsClassOrReference(string property) => F("The query applies ISA to '{0}': ISA applies to __CLASS, __THIS or a reference property.", property);
        public static string QueryOrderingNotSupported(string className, string property, string type) => F("The query orders property '{1}' of class '{0}' of type {2}, which has no order: use = or <>.", className, property, type);

        // MOF compiler (the lexer, parser, compiler and import of MOF files): Messages.Mof.X

        /// <summary>The MOF compiler's sentences (they were MofMessages); a few share a name with an engine sentence above.</summary>
        internal static class Mof
        {
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

            // Parts of the sentences above. They are joined as they are (not shortened on their own): the sentence
            // that quotes them shortens the whole, as before.

            // What the parser expected or found (Expected's what and found)
            public const string TheEndOfTheFile = "the end of the file";
            public const string TheEndOfTheFileCapital = "The end of the file";
            public static string TheByte(byte b) => "The byte 0x" + b.ToString("X2", CultureInfo.InvariantCulture);
            public const string AString = "a string";
            public const string ADeclarationOrPragma = "'class', 'instance', 'qualifier' or '#pragma'";
            public const string ClassOrInstance = "'class' or 'instance'";
            public const string ADeclaration = "'class', 'instance' or 'qualifier'";
            public const string APragmaName = "a pragma name";
            public const string AQualifierName = "a qualifier name";
            public const string AFlavor = "a flavor";
            public const string AValue = "a value";
            public const string AType = "a type";
            public const string ScopeOrFlavor = "'Scope' or 'Flavor'";
            public const string AScope = "', Scope(...)'";
            public const string AName = "a name";
            public const string AClassName = "a class name";
            public const string ASuperclassName = "a superclass name";
            public const string AParameterType = "a parameter type";
            public const string APropertyOrMethodType = "a property or method type";
            public const string AParameterName = "a parameter name";
            public const string APropertyOrMethodName = "a property or method name";
            public const string AnAlias = "an alias such as $Disk";
            public const string APropertyName = "a property name";

            // A MOF value as the compiler's type errors describe it
            public const string AnArray = "an array";
            public const string Null = "null";
            public static string InstanceOf(string className) => "instance of " + className;

            // The element a sentence is about: ...Subject begins a sentence, ...Element ends one ("may not be used on ...")
            public static string ClassElement(string className) => "class " + className;
            public static string MethodSubject(string className, string method) => "Method " + className + "." + method;
            public static string MethodElement(string className, string method) => "method " + className + "." + method;
            public static string ParameterSubject(string parameter, string className, string method) => "Parameter " + parameter + " of " + className + "." + method;
            public static string ParameterElement(string parameter, string className, string method) => "parameter " + parameter + " of " + className + "." + method;
            public static string PropertySubject(bool reference, string className, string property) => (reference ? "Reference " : "Property ") + className + "." + property;
            public static string PropertyElement(bool reference, string className, string property) => (reference ? "reference " : "property ") + className + "." + property;
        }


        // Providers and posting
        public static string ProviderOperationNotSupported(string className, string operation) => F("The provider of class '{0}' does not support {1}.", className, operation);
        public static string ProviderFailed(string className, string reason) => F("The provider of class '{0}' failed: {1}", className, reason);
        public static string PostAfterCompletion(string className) => F("The provider of class '{0}' posted after its request had completed.", className);
        public static string PostedNullKey(string className, string property) => F("The provider posted an instance of class '{0}' whose key property '{1}' is null.", className, property);
        public static string NotAnIndication(string className) => F("Class '{0}' is not an indication class: only indications can be posted to the posted queue.", className);
        public static string PostedOutsideClass(string posted, string requested) => F("The provider posted an instance of class '{0}', which is not '{1}' or one of its subclasses.", posted, requested);
        public static string ProviderAlreadyRegistered(string ns, string className) => F("Class '{1}' in namespace '{0}' already has a provider; unregister it first.", ns, className);
        public static string ProviderNotRegistered(string ns, string className) => F("Class '{1}' in namespace '{0}' has no provider registered.", ns, className);

        // Storage (issue 21): sentences moved here from PutBatch.cs and ExecQuery.cs, and one new
        public const string BatchClosed = "The put batch is already committed or disposed.";
        public static string BatchCommitFailed(string reason) => "The put batch could not be committed; none of its puts were kept: " + reason;
        public static string ExplainRuledOut(string className) => className + ": no rows (ruled out by the WHERE clause)";
        public const string ExplainResidual = " [+ in-memory residual]";
        public const string KeyTakenUnseen = "the store refused the instance's key as taken, but holds no instance under it.";
        public const string RepositoryPathRequired = "A repository path is required.";
        public const string WriteTransactionOpen = "A write transaction is already open on this repository.";
        // Provider capabilities (issue 21)
        public static string ProviderWithoutCapability(string type) => F("The provider object of type '{0}' implements no provider capability: implement CimLite.ICimLiteInstanceProvider (or derive from CimLite.CimLiteProvider).", type);
        // Methods (issue 14)
        public static string MethodNotFound(string className, string method) => F("Class '{0}' has no method '{1}'.", className, method);
        public static string MethodNotStatic(string className, string method) => F("Method '{1}' of class '{0}' is not static: call it on an instance (-InputObject, -Path or -Query), not on the class.", className, method);
        public static string MethodArgumentNotIn(string className, string method, string parameter) => F("Method '{0}.{1}' has no In parameter '{2}'.", className, method, parameter);
        public static string MethodArgumentMissing(string className, string method, string parameter) => F("Method '{0}.{1}': the Required In parameter '{2}' is missing.", className, method, parameter);
        public static string MethodArgumentTypeMismatch(string className, string method, string parameter, string reason) => F("Method '{0}.{1}', parameter '{2}': {3}", className, method, parameter, reason);
        public static string MethodNotServed(string className, string method) => F("No provider serves method '{1}' of class '{0}' (nor of its superclasses): register one with Register-CimLiteProvider -Method.", className, method);
        public static string MethodNotHandled(string className, string method) => F("The provider of class '{0}' has no handler for method '{1}'.", className, method);
        public static string MethodResultUnknownName(string className, string method, string name) => F("Method '{0}.{1}' returned '{2}', which is neither ReturnValue nor one of its Out parameters.", className, method, name);
        public static string MethodResultBadValue(string className, string method, string name, string reason) => F("Method '{0}.{1}' returned a value for '{2}' that does not fit its declared type: {3}", className, method, name, reason);
        public static string MethodResultNoReturnValue(string className, string method) => F("Method '{0}.{1}' returned no ReturnValue.", className, method);
        public static string LocalSessionExpired(string className, string operation) => F("The local session of the {1} call of the provider of class '{0}' is no longer usable: the call has returned.", className, operation);
        public static string LocalSessionNotInReads(string className) => F("The provider of class '{0}' asked for a local session during a get or enumeration: the local session is for put, delete and method calls.", className);
        public static string ProviderReentered(string className, string operation, string target) => F("The provider of class '{0}' re-entered the {1} of '{2}' it is serving; a provider must not call the operation it serves on the same target.", className, operation, target);
        public static string ProviderNestedTooDeep(int depth, string className) => F("Provider calls are nested more than {0} deep (at class '{1}'): a provider's writes through the local session keep calling providers.", depth, className);
        public static string SessionBusyInProvider => "This session is running a provider call: inside a provider, use $Context.LocalSession (ICimLiteContext.LocalSession) to read and write the repository.";
        // Associations and references (issue 13)
        public const string ReferenceUnresolved = "the path does not name an instance of a known class with its keys.";
        public const string QueryExpectedOf = "expected OF.";
        public const string QueryExpectedObjectPath = "expected an instance path in braces, such as {Disk.DeviceId=\"C:\"}.";
        public const string QueryExpectedClosingBrace = "expected '}' after the instance path.";
        public const string QueryExpectedEquals = "expected '='.";
        public const string QueryExpectedName = "expected a class, property or qualifier name.";
        public const string QueryKeysOnlyWithClassDefsOnly = "KeysOnly and ClassDefsOnly cannot be used together.";
        public static string QueryExpectedAssociationClause(string allowed) => F("expected one of {0} (each at most once, separated by spaces).", allowed);
        public const string QueryClassDefsOnlyNeedsClasses = "ClassDefsOnly returns classes, not instances: run the query with ExecAssociationQuery (Get-CimLiteInstance -Query does).";
        public static string ReferenceWrongClass(string named, string wanted) => F("the path names class '{0}', which is not '{1}' or one of its subclasses.", named, wanted);
        // Operation deadlines (issue 15)
        public static string OperationTimedOut(string path, double seconds) => F("The operation on repository '{0}' did not finish within its time limit of {1} s (-OperationTimeoutSec); what it was writing was rolled back.", path, seconds);
        public static string FilterUnknownProperty(string className, string property) => F("Class '{0}' has no property '{1}' to filter on.", className, property);
        public static string FilterArrayProperty(string className, string property) => F("Property '{1}' of class '{0}' is an array: a filter can only test it for $null.", className, property);
        // Indication subscriptions (issue 15 item 6)
        public const string WatchNeedsClassOrQuery = "Give either a class name or a WQL query (SELECT * FROM IndicationClass [WHERE ...]) to watch, not both.";
        public const string WatchInTransaction = "The posted queue cannot be watched from inside an open transaction of the same session.";
        // Repository care (issue 16)
        public static string CareCannotOpen(string path, string reason) => F("SQLite cannot open '{0}': {1}", path, reason);
        public static string CareSchemaUnreadable(string path, string reason) => F("The schema of '{0}' cannot be read: {1}", path, reason);
        public static string CareFormatUnknown(string path, int found, int supported) => F("'{0}' records format {1}; this version of CimLite knows formats 1 to {2}.", path, found, supported);
        public static string CareFormatMismatch(string path, string stored, int header) => F("'{0}' stores format '{1}' in cimlite_format, but its header records format {2}.", path, stored, header);
        public static string CareMissingSchemaObject(string path, string type, string name) => F("'{0}' lacks {1} '{2}', which its format requires.", path, type, name);
        public static string CareTableUnreadable(string path, string table, string reason) => F("Table '{1}' of '{0}' cannot be read: {2}", path, table, reason);
        public static string CareIntegrity(string path, string finding) => F("SQLite's integrity check of '{0}': {1}", path, finding);
        public static string CareForeignKey(string path, string table, long rowid, string parent) => F("Row {2} of table '{1}' in '{0}' refers to a row of '{3}' that does not exist.", path, table, rowid, parent);
        public static string CareMissingSuperclass(string ns, string className, long superclassId) => F("Class '{0}:{1}' names superclass #{2}, which does not exist.", ns, className, superclassId);
        public static string CareSuperclassElsewhere(string ns, string className, string superclass, string superNs) => F("Class '{0}:{1}' names superclass '{2}' of another namespace ('{3}').", ns, className, superclass, superNs);
        public static string CareClassCycle(string ns, string className) => F("Class '{0}:{1}' is its own ancestor: the class hierarchy has a cycle.", ns, className);
        public static string CareClassDefinition(string ns, string className, string reason) => F("The stored definition of class '{0}:{1}' cannot be read: {2}", ns, className, reason);
        public static string CareInstancesUnreadable(long afterId, string reason) => F("The instances after row {0} cannot be read: {1}", afterId, reason);
        public static string CareInstanceWithoutClass(long id, long classId, string key) => F("Instance row {0} (key '{2}') belongs to class #{1}, which does not exist.", id, classId, key);
        public static string CareNotConcrete(long id, string ns, string className, string key) => F("Instance row {0} (key '{3}') is of class '{1}:{2}', which is abstract or an indication class and cannot have stored instances.", id, ns, className, key);
        public static string CareKeyRoot(long id, string className, string key, string keyRoot) => F("Instance row {0} of class '{1}' (key '{2}') is not stored under '{3}', the class that declares its keys.", id, className, key, keyRoot);
        public static string CareValue(long id, string className, string key, string property) => F("Instance row {0} of class '{1}' (key '{2}'): the stored value of property '{3}' does not decode to its type.", id, className, key, property);
        public static string CareNullKey(long id, string className, string key, string property) => F("Instance row {0} of class '{1}' (key '{2}') has no value for key property '{3}'.", id, className, key, property);
        public static string CareKeyText(long id, string className, string key, string expected) => F("Instance row {0} of class '{1}' is stored under key '{2}', but its key values make '{3}'.", id, className, key, expected);
        public static string CareReference(long id, string className, string key, string property, string value) => F("Instance row {0} of class '{1}' (key '{2}'): reference property '{3}' holds '{4}', which is not an instance path.", id, className, key, property, value);
        public static string CareQualifiers(long id, string className, string key) => F("Instance row {0} of class '{1}' (key '{2}'): its stored qualifiers cannot be read.", id, className, key);
        public static string CareReferenceIndexMissing(long id, string className, string key, string property, string value) => F("Instance row {0} of class '{1}' (key '{2}'): the reference index has no entry for property '{3}' ('{4}').", id, className, key, property, value);
        public static string CareReferenceIndexWrong(long id, string className, string key, string property, string value) => F("Instance row {0} of class '{1}' (key '{2}'): the reference index entry for property '{3}' does not name the instance its value '{4}' names.", id, className, key, property, value);
        public static string CareReferenceIndexExtra(long id, string property) => F("The reference index has an entry for instance row {0}, property '{1}', that no stored reference value accounts for.", id, property);
        public static string CareLease(long id) => F("Posted indication {0} has an inconsistent lease (owner, process, start time and expiry must be all set or all empty).", id);
        public static string CopyClassExists(string ns, string className, string destination) => F("Class '{0}:{1}' already exists in '{2}'; a copy adds classes, it does not merge or replace them. Nothing was copied.", ns, className, destination);
        public static string CopyQualifierDiffers(string ns, string qualifier, string destination) => F("Qualifier '{1}' is declared differently in namespace '{0}' of '{2}'. Nothing was copied.", ns, qualifier, destination);
        public static string CopySourceDamaged(string className) => F("The source's class hierarchy is inconsistent at class '{0}' (a missing superclass or a cycle); check it with Test-CimLiteRepository. Nothing was copied.", className);
        public static string CareSameFile(string path) => F("'{0}' is both the repository and the destination.", path);
        public static string CareDestinationExists(string path) => F("'{0}' already exists; give -Force to replace it. Nothing was written.", path);
        public static string CareBackupUnhealthy(string path, string problem) => F("The backup of '{0}' did not pass the repository checks and was deleted: {1}", path, problem);
        public static string CannotWriteBackup(string path, string reason) => F("Cannot write the backup '{0}': {1}", path, reason);
        public static string CareBackupRefused(string backup, string problem, string destination) => F("'{0}' is not a sound CimLite repository and was not restored: {1} '{2}' was not changed.", backup, problem, destination);
        public static string CareRestoreOverForeign(string path) => F("'{0}' is a SQLite database of another application; a restore does not replace it. Nothing was changed.", path);
        public static string CareRestoreInUse(string path, string users) => F("'{0}' is in use ({1}); close those sessions and processes first. Nothing was changed.", path, users);
        public static string CareRestoreFailed(string path, string reason) => F("The restore of '{0}' failed and the repository there was left as it was: {1}", path, reason);
        public static string CareUserThisProcess(int sessions, int pid) => F("{0} session(s) of this process, PID {1}", sessions, pid);
        public static string CareUserProcess(int pid, string name) => F("process {0} ({1})", pid, name);
        public static string CareFileStep(string step, string from, string to, int error) => F("{0} '{1}' to '{2}' failed (errno {3}).", step, from, to, error);
        public const string CareOptimizeCheckpoint = "Checkpointing the log";
        public const string CareOptimizeVacuum = "Compacting (VACUUM)";
        public const string CareOptimizeAnalyze = "Analyzing";
        public const string CareOptimizeDone = "Done";
        public static string SalvageSchemaUnreadable(string path, string reason) => F("The schema of '{0}' cannot be read by SQLite ({1}); nothing could be salvaged by this reader.", path, reason);
        public static string SalvageNoMaximum(string table, string reason) => F("The last rows of table '{0}' cannot be found ({1}); rows were read until a long run of empty ranges.", table, reason);
        public static string SalvagePagesRead(long pages, long rows, long freePages) => F("The page reader read {0} page(s) of the file directly ({2} on the freelist skipped) and recovered {1} row(s) that SQLite's reader could not reach.", pages, rows, freePages);
        public static string SalvagePagesUnreadable(string path, string reason) => F("The pages of '{0}' cannot be read directly: {1}", path, reason);
        public static string SalvageUndecodableCells(long cells) => F("{0} cell(s) of table leaf pages could not be decoded (a damaged cell or a broken overflow chain).", cells);
        public static string PageReaderGuessedPageSize(int pageSize) => F("The file header's page size is damaged; pages were read as {0} bytes (the size under which most pages look like b-tree pages).", pageSize);
        public static string PageReaderFreelistBroken(long page) => F("The freelist breaks at page {0}; free pages after it may be read as if they held rows.", page);
        public static string PageReaderLogUnused(string path) => F("The write-ahead log '{0}' does not fit the file (its header or page size); pages were read from the file alone.", path);
        public static string PageReaderFreelistCount(long stated, long found) => F("The file header counts {0} free page(s), the freelist holds {1}.", stated, found);
        public static string SalvageUnhealthy(string path, string problem) => F("The salvaged repository '{0}' does not pass the checks and was deleted: {1}", path, problem);
        public static string CareEmptyFile(string path) => F("'{0}' holds no repository yet: it is empty.", path);
    }
}
