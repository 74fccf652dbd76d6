using System.Collections.Generic;
using System.Management.Automation;

namespace CimLite.Adapters
{
    /// <summary>
    /// Wraps instances for the pipeline with a default display property set of their CIM properties, so
    /// that a plain <c>Get-CimLiteInstance</c> shows data, not WMI system properties.
    /// </summary>
    internal static class InstanceOutput
    {
        public static PSObject Wrap(CimLiteInstance instance)
        {
            var pso = PSObject.AsPSObject(instance);
            var names = new List<string>(instance.Class.Properties.Count);
            foreach (var p in instance.Class.Properties) names.Add(p.Name);
            var display = new PSPropertySet("DefaultDisplayPropertySet", names);
            pso.Members.Add(new PSMemberSet("PSStandardMembers", new PSMemberInfo[] { display }));
            return pso;
        }
    }
}
