namespace CimLite.Tests.TestUtilities;

/// <summary>
/// A provider made of delegates that records each call as "Class:Operation:Target" into a log (shared between
/// the providers of one test so that their order shows). Without a delegate, Put and Delete accept and Get and
/// Enumerate post nothing.
/// </summary>
public sealed class TestProvider : CimLiteProvider
{
    private readonly string _name;
    private readonly List<string> _log;

    public TestProvider(string name, List<string> log) { _name = name; _log = log; }

    public Action<ICimLiteContext, CimLiteInstance>? OnPut { get; set; }
    public Action<ICimLiteContext, InstancePath>? OnDelete { get; set; }
    public Action<ICimLiteContext, InstancePath>? OnGet { get; set; }
    public Action<ICimLiteContext>? OnEnumerate { get; set; }

    /// <summary>The contexts the provider was called with, in order.</summary>
    public List<ICimLiteContext> Contexts { get; } = new();

    public override void PutInstance(ICimLiteContext context, CimLiteInstance instance)
    {
        Record(context, "Put", instance.ClassName);
        OnPut?.Invoke(context, instance);
    }

    public override void DeleteInstance(ICimLiteContext context, InstancePath path)
    {
        Record(context, "Delete", path.ClassName);
        OnDelete?.Invoke(context, path);
    }

    public override void GetInstance(ICimLiteContext context, InstancePath path)
    {
        Record(context, "Get", path.ClassName);
        OnGet?.Invoke(context, path);
    }

    public override void EnumerateInstances(ICimLiteContext context)
    {
        Record(context, "Enumerate", context.ClassName);
        OnEnumerate?.Invoke(context);
    }

    private void Record(ICimLiteContext context, string operation, string target)
    {
        Contexts.Add(context);
        _log.Add(_name + ":" + operation + ":" + target);
    }
}

/// <summary>A sink that records everything it receives; prompts answer yes.</summary>
public class RecordingSink : ICimLiteOperationSink
{
    public List<CimLiteInstance> Instances { get; } = new();
    public List<string> Messages { get; } = new();
    public List<string> Progress { get; } = new();

    public virtual void OnInstance(CimLiteInstance instance) => Instances.Add(instance);
    public void OnMessage(CimMessageChannel channel, string message) => Messages.Add(channel + ":" + message);
    public void OnProgress(string activity, string statusDescription, int percentComplete) => Progress.Add(activity + ":" + statusDescription + ":" + percentComplete);
    public bool ShouldProcess(string target, string action) => true;
    public bool ShouldContinue(string query, string caption) => true;
}
