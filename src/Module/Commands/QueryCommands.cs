using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CimLite.Adapters;

namespace CimLite.Commands
{
    /// <summary>The WQL parts of Get-/Remove-CimLiteInstance (-Query, -ClassName -Filter), kept apart from the cmdlets.</summary>
    internal static class QueryCommands
    {
        /// <summary>Runs a query or a filter and writes each instance as it comes (providers' messages go to the streams).</summary>
        public static void Get(CimLiteCmdlet cmdlet, CimLiteSession session, string? query, string className, string? filter, string? ns,
            bool shallow, bool keyOnly, CancellationToken stop)
        {
            var target = (object?)query ?? className;
            try
            {
                cmdlet.Call(session, sink =>
                {
                    var options = new QueryOptions { Sink = sink, CancellationToken = stop, Shallow = shallow, KeysOnly = keyOnly };
                    if (query != null && CimLiteSession.IsAssociationQuery(query))
                    {
                        // ASSOCIATORS OF / REFERENCES OF: instances, or with ClassDefsOnly their classes.
                        var answer = session.ExecAssociationQuery(query, ns, options);
                        sink.Flush();
                        foreach (var c in answer.Classes) cmdlet.WriteObject(c);
                        foreach (var instance in answer.Instances) cmdlet.WriteObject(InstanceOutput.Wrap(instance, session));
                        return;
                    }
                    var results = query != null ? session.ExecQuery(query, ns, options) : session.QueryInstances(className, filter, ns, options);
                    foreach (var instance in results)
                    {
                        if (stop.IsCancellationRequested) break;
                        sink.Flush();
                        cmdlet.WriteObject(InstanceOutput.Wrap(instance, session));
                    }
                });
            }
            catch (CimLiteException e)
            {
                cmdlet.WriteError(Errors.ErrorRecordFactory.Create(e, target));
            }
        }

        /// <summary>The paths of the instances a query or filter selects (read fully before anything is removed).</summary>
        public static List<InstancePath> Paths(CimLiteSession session, string? query, string? className, string? filter, string? ns)
        {
            var paths = new List<InstancePath>();
            var options = new QueryOptions { KeysOnly = true };
            if (query != null && CimLiteSession.IsAssociationQuery(query))
            {
                // REFERENCES OF selects association instances, which are removed; ASSOCIATORS OF is refused.
                var answer = session.ExecAssociationQuery(query, ns, options);
                if (!answer.IsReferences || answer.ClassDefsOnly)
                    throw new CimLiteException(CimStatus.InvalidQuery, answer.ClassDefsOnly ? Strings.RemoveQueryClassDefsOnly : Strings.RemoveQueryAssociators);
                foreach (var instance in answer.Instances) paths.Add(instance.GetPath());
                return paths;
            }
            var results = query != null ? session.ExecQuery(query, ns, options) : session.QueryInstances(className!, filter, ns, options);
            foreach (var instance in results) paths.Add(instance.GetPath());
            return paths;
        }
    }
}
