using System.Globalization;

namespace CimLite.Commands
{
    /// <summary>
    /// The one home of the module's own user-facing sentences: error messages, warnings, progress texts and
    /// ShouldProcess actions (the engine's come with its CimLiteExceptions). Tests assert exact messages through it.
    /// </summary>
    internal static class Strings
    {
        private static string F(string format, params object?[] args)
        {
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] is string text && text.Length > 1000) args[i] = text.Substring(0, char.IsHighSurrogate(text[99]) ? 99 : 100) + "… (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
            }
            return string.Format(CultureInfo.InvariantCulture, format, args);
        }

        public static string BadBusyTimeoutVariable(string value) => F("CIMLITE_BUSY_TIMEOUT is '{0}': give the busy timeout as a number of seconds from 0 to 86400, such as 10 or 0.5.", value);
        public static string PostedNotAcknowledged(int delivered, int leased, string reason) => F("Receive-CimLitePosted could not remove the {0} delivered indication(s) from the posted queue ({1}). The {2} leased indication(s) stay leased to this session and will be delivered again (to any reader) once the session closes or the lease expires.", delivered, reason, leased);
        public static string SessionClosed => "The session is closed. Open a new one with New-CimLiteSession.";
        public static string InstanceSessionClosed(string instance, string session) => F("The instance '{0}' came from the session of '{1}', which is closed; nothing was done (the default repository is not used instead). Open a new session and give it with -Session.", instance, session);
        public static string ConflictingParameters(string a, string b) => F("The parameters -{0} and -{1} cannot be used together.", a, b);
        public static string StrictNullsNeedsPartial => "-StrictNulls applies to partial updates only: use it with -Property and -InputObject, or with -Key and -Property.";
        public static string PutAction(PutMode mode) => F("Put instance ({0})", mode);
        public static string CreateInstanceAction => "Create instance";
        public static string PostIndicationAction => "Post indication";
        public static string RemoveInstanceAction => "Remove instance";
        public static string CreateClassAction => "Create class";
        public static string ImportMofAction(string ns, bool force) => F(force ? "Import MOF into namespace {0}, replacing changed classes" : "Import MOF into namespace {0}", ns);
        public static string ImportMofActivity => "Import-CimLiteMof";
        public static string ImportMofDone => "Done";
        public static string ImportMofFile(int n, string file) => F("File {0}: {1}", n, file);
        public static string ExportMofAction => "Export MOF";
        public static string RemoveClassActivity(string target) => F("Removing class {0}", target);
        public static string RemoveClassStatus(int done, int total, string className) => done == 0 ? F("0 of {0} classes", total) : F("{0} of {1} classes: removed {2}", done, total, className);
        public static string PutActivity => "Putting instances";
        public static string PutStatus(long count) => F("{0} instances", count);
        public static string FileExistsNoClobber(string file) => F("The file '{0}' already exists and -NoClobber was given; nothing was written.", file);
        public static string CannotWriteFile(string file, string reason) => F("Cannot write the file '{0}': {1}", file, reason);
        public static string InvalidWildcard(string pattern, string reason) => F("'{0}' is not a valid wildcard pattern: {1}", pattern, reason);
        public static string FileNotFound(string file) => F("Cannot find the file '{0}'.", file);
        public static string RemoveClassAction(bool force) => force ? "Remove class with its subclasses and instances" : "Remove class";
        public static string CloseSessionAction => "Close session";
        public static string NoClassMatches(string pattern, string ns) => F("No class in namespace '{1}' matches '{0}'.", pattern, ns);
        public static string PropertySpecNeedsType(string property) => F("Property '{0}': give its CIM type as a string such as 'uint64' or 'string[]', or a hashtable with a Type key.", property);
        public static string UnknownPropertySpecKey(string property, string key) => F("Property '{0}': '{1}' is not a property setting; use Type, Default, Key, Required or Qualifier.", property, key);
        public static string UnknownFlavor(string qualifier, string flavor) => F("Qualifier '{0}': '{1}' is not a flavor; use ToSubclass, ToInstance, DisableOverride, Restricted, Amended or Translatable.", qualifier, flavor);
        public static string UnknownQualifierSpecKey(string qualifier, string key) => F("Qualifier '{0}': '{1}' is not a qualifier setting; use Value and Flavor.", qualifier, key);
        public static string KeyNotDeclared(string key) => F("-Key names '{0}', which is not in -Property.", key);
        public static string ProviderHandlerMissing(string className, string operation) => F("The scriptblock provider of class '{0}' has no handler for {1}.", className, operation);
        public static string RegisterProviderAction => "Register provider";
        public static string UnregisterProviderAction => "Unregister provider";
        public static string NotAProviderType(string type) => F("Type '{0}' implements no provider capability (CimLite.ICimLiteInstanceProvider or CimLite.ICimLiteProvider) or has no public parameterless constructor.", type);
        public static string ProviderNeedsHandler => "Give at least one of -Put, -Get, -Enumerate, -Delete, -Method, -Associators or -References, or a .NET provider with -Type.";
        public static string WaitingForIndications => "Waiting for posted indications";
        public static string WaitingStatus(int seconds) => F("{0} s", seconds);
        public static string PathParameterInvalid(string path) => F("'{0}' is not an instance path.", path);
        public static string NoSuchProperty(string className, string property) => "Class '" + className + "' has no property '" + property + "'.";
        public static string ReadOnlyProperty(string property) => property + " is read-only.";
        public static string NativeLibraryNotLoaded(string path, string reason) => "CimLite could not load the native SQLite library '" + path + "': " + reason;
        public static string NativeLibraryNotLoaded(string path, int win32Error) => "CimLite could not load the native SQLite library '" + path + "' (Win32 error " + win32Error + ").";
        public static string InvokeMethodAction => "Invoke method";
        public static string NewProviderTypeAction(string className) => F("Write the typed provider source of class {0}", className);
        public static string MethodHandlerNotScriptBlock(string method) => F("-Method: the handler of method '{0}' must be a scriptblock (name = {{ param($Context, $Instance, $Arguments) … }}).", method);
        public static string MethodSpecNeedsReturnType(string method) => F("Method '{0}': give its return type as a string such as 'uint32', or a hashtable with a ReturnType key.", method);
        public static string UnknownMethodSpecKey(string method, string key) => F("Method '{0}': '{1}' is not a method setting; use ReturnType, Static, Parameters or Qualifier.", method, key);
        public static string MethodParametersNotDictionary(string method) => F("Method '{0}': Parameters must be a hashtable (use [ordered]@{{...}} to keep their order) of name = type or name = @{{ Type; In; Out; Required; Qualifier }}.", method);
        public static string ParameterSpecNeedsType(string method, string parameter) => F("Parameter '{1}' of method '{0}': give its CIM type as a string such as 'uint32', or a hashtable with a Type key.", method, parameter);
        public static string UnknownParameterSpecKey(string method, string parameter, string key) => F("Parameter '{1}' of method '{0}': '{2}' is not a parameter setting; use Type, In, Out, Required or Qualifier.", method, parameter, key);
        // Associations (issue 13)
        public static string RemoveQueryAssociators => "Remove-CimLiteInstance -Query takes SELECT and REFERENCES OF queries: ASSOCIATORS OF selects the associated instances themselves. Use REFERENCES OF to remove the association instances, or pipe Get-CimLiteAssociatedInstance to Remove-CimLiteInstance.";
        public static string RemoveQueryClassDefsOnly => "Remove-CimLiteInstance -Query cannot take ClassDefsOnly: it selects classes, not instances.";
        public static string ParameterNotSupported(string parameter) => F("-{0} is not supported: CimLite works on local repository files only (give the repository with -Session or -CimSession). Nothing was done.", parameter);
        public static string QueryDialectNotSupported(string dialect) => F("The query dialect '{0}' is not supported: CimLite understands WQL only.", dialect);
        // Register-CimLiteIndicationEvent (issue 15 item 6)
        public static string SubscriberExists(string sourceIdentifier, string reason) => F("Cannot subscribe with source identifier '{0}': {1}", sourceIdentifier, reason);
        public static string SourceIdentifierInUse => "a subscription with this source identifier already exists (Unregister-Event it first, or choose another).";
        public static string SubscribeAction(string sourceIdentifier) => F("Subscribe to indications as '{0}'", sourceIdentifier);
        public static string WatchInTransaction => "Cannot subscribe to indications while a transaction is open on the session.";
        public static string StandInParameterNotSupportedFormat => "The CimLite stand-in does not support -{0}: its CimLite counterpart {1} has no such parameter.";
        public static string StandInFunctionExists(string name) => F("A global function '{0}' that is not CimLite's stand-in already exists; it was left as it is. Remove it, or give -Force to replace it.", name);
        // Repository care (issue 16)
        public static string CareProgressStatus(long done, long total) => F("{0} of {1}", done, total);
        public static string CareProgressDone => "Done";
        public static string CopyAction(string source) => F("Copy repository '{0}' into this repository", source);
        public static string CopyActivity(string source, string destination) => F("Copying {0} to {1}", source, destination);
        public static string BackupAction(string source) => F("Back up repository '{0}' to this file", source);
        public static string BackupActivity(string source) => F("Backing up {0}", source);
        public static string DestinationExists(string file) => F("'{0}' already exists; give -Force to replace it. Nothing was written.", file);
        public static string OptimizeAction => "Optimize repository (checkpoint, VACUUM, ANALYZE)";
        public static string OptimizeActivity(string path) => F("Optimizing {0}", path);
        public static string RestoreAction(string backup) => F("Replace repository with backup '{0}'", backup);
        public static string RestoreActivity(string path) => F("Restoring {0}", path);
        public static string RepairAction(string damaged) => F("Write what can be salvaged of '{0}' to this new file", damaged);
        public static string RepairActivity(string damaged) => F("Salvaging {0}", damaged);
        public static string RestoreRemovedLeftover(string file) => F("Removed '{0}', left by a restore that did not finish.", file);
        public static string RepairStatus(string table, long rowid) => table == "pages" ? F("reading the file page by page, page {0}", rowid) : F("table {0}, row {1}", table, rowid);
        public const string UnparsableConnectionString = "(a connection string that cannot be parsed)";
        public static string ServerFileOnly(string command, string repository) => F("{0} works on repository files only; '{1}' is on a PostgreSQL server (use the server's own tools, such as pg_dump, for it).", command, repository);
        public static string OpeningServer(string connectionString) => F("Opening the PostgreSQL repository of '{0}'.", connectionString);
    }
}
