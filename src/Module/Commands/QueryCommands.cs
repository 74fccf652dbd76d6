using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CimLite.Adapters;

namespace CimLite.Commands
{
    /// <summary>The WQL parts of Get-/Remove-CimLiteInstance (-Query, -ClassName -Filter), kept apart from the cmdlets.</summary>
    internal static class QueryCommands
    {
        /// <summary>What a query selects: -Query, or -ClassName with -Filter or -FilterHashtable (or neither: all).</summary>
        internal sealed class Selection
        {
            public string? Query;
            public string? ClassName;
            public string? Filter;
            public List<KeyValuePair<string, object?>>? Equalities;
            public string? Namespace;

            /// <summary>The pipeline error target: the query, the filter, or the class.</summary>
            public object? Target => (object?)Query ?? (object?)Filter ?? ClassName;

            public IEnumerable<CimLiteInstance> Run(CimLiteSession session, QueryOptions options) =>
                Query != null ? session.ExecQuery(Query, Namespace, options)
                : Equalities != null ? session.FilterInstances(ClassName!, Equalities, Namespace, options)
                : session.QueryInstances(ClassName!, Filter, Namespace, options);
        }

        /// <summary>-FilterHashtable as name = value pairs with PowerShell's wrappers removed (null for none).</summary>
        public static List<KeyValuePair<string, object?>>? Equalities(IDictionary? table)
        {
            if (table == null) return null;
            var pairs = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry e in table)
                pairs.Add(new KeyValuePair<string, object?>(ParameterValues.Unwrap(e.Key)?.ToString() ?? "", ParameterValues.Unwrap(e.Value)));
            return pairs;
        }

        /// <summary>Runs a selection and writes each instance as it comes (providers' messages go to the streams).</summary>
        public static void Get(CimLiteCmdlet cmdlet, CimLiteSession session, Selection selection, string[]? properties, bool shallow, bool keyOnly, uint timeoutSeconds)
        {
            try
            {
                cmdlet.Call(session, sink => cmdlet.WithinTimeLimit(session, timeoutSeconds, stop =>
                {
                    var options = new QueryOptions { Sink = sink, CancellationToken = stop, Shallow = shallow, KeysOnly = keyOnly, Properties = properties };
                    if (selection.Query != null && CimLiteSession.IsAssociationQuery(selection.Query))
                    {
                        // ASSOCIATORS OF / REFERENCES OF: instances, or with ClassDefsOnly their classes.
                        var answer = session.ExecAssociationQuery(selection.Query, selection.Namespace, options);
                        sink.Flush();
                        foreach (var c in answer.Classes) cmdlet.WriteObject(c);
                        foreach (var instance in answer.Instances) cmdlet.WriteObject(InstanceOutput.Wrap(instance, session));
                        return;
                    }
                    foreach (var instance in selection.Run(session, options))
                    {
                        if (stop.IsCancellationRequested) break;
                        sink.Flush();
                        cmdlet.WriteObject(InstanceOutput.Wrap(instance, session));
                    }
                }));
            }
            catch (CimLiteException e)
            {
                cmdlet.WriteError(Errors.ErrorRecordFactory.Create(e, selection.Target));
            }
        }

        /// <summary>The instances a selection selects, keys only, read fully before anything is changed.</summary>
        public static List<CimLiteInstance> Selected(CimLiteSession session, Selection selection)
        {
            var found = new List<CimLiteInstance>();
            if (selection.Query != null && CimLiteSession.IsAssociationQuery(selection.Query))
            {
                // ASSOCIATORS OF / REFERENCES OF select instances too; ClassDefsOnly selects classes, which are not instances.
                var answer = session.ExecAssociationQuery(selection.Query, selection.Namespace, new QueryOptions { KeysOnly = true });
                if (answer.ClassDefsOnly) throw new CimLiteException(CimStatus.InvalidQuery, Strings.RemoveQueryClassDefsOnly);
                found.AddRange(answer.Instances);
                return found;
            }
            foreach (var instance in selection.Run(session, new QueryOptions { KeysOnly = true })) found.Add(instance);
            return found;
        }

        /// <summary>The paths of the instances a selection selects (read fully before anything is removed).</summary>
        public static List<InstancePath> Paths(CimLiteSession session, Selection selection)
        {
            var paths = new List<InstancePath>();
            if (selection.Query != null && CimLiteSession.IsAssociationQuery(selection.Query))
            {
                // REFERENCES OF selects association instances, which are removed; ASSOCIATORS OF is refused.
                var answer = session.ExecAssociationQuery(selection.Query, selection.Namespace, new QueryOptions { KeysOnly = true });
                if (!answer.IsReferences || answer.ClassDefsOnly)
                    throw new CimLiteException(CimStatus.InvalidQuery, answer.ClassDefsOnly ? Strings.RemoveQueryClassDefsOnly : Strings.RemoveQueryAssociators);
                foreach (var instance in answer.Instances) paths.Add(instance.GetPath());
                return paths;
            }
            foreach (var instance in Selected(session, selection)) paths.Add(instance.GetPath());
            return paths;
        }
    }
}
