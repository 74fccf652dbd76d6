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
            var results = query != null ? session.ExecQuery(query, ns, options) : session.QueryInstances(className!, filter, ns, options);
            foreach (var instance in results) paths.Add(instance.GetPath());
            return paths;
        }
    }
}
