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

    /// <summary>The requests the provider was called with, in order (the same order as <see cref="Contexts"/>).</summary>
    public List<ProviderRequest> Requests { get; } = new();

    /// <summary>The put requests, in order.</summary>
    public List<PutInstanceRequest> Puts { get; } = new();

    public override void PutInstance(ICimLiteContext context, PutInstanceRequest request)
    {
        Puts.Add(request);
        Record(context, request, "Put", request.Instance.ClassName);
        OnPut?.Invoke(context, request.Instance);
    }

    public override void DeleteInstance(ICimLiteContext context, DeleteInstanceRequest request)
    {
        Record(context, request, "Delete", request.Path.ClassName);
        OnDelete?.Invoke(context, request.Path);
    }

    public override void GetInstance(ICimLiteContext context, GetInstanceRequest request)
    {
        Record(context, request, "Get", request.Path.ClassName);
        OnGet?.Invoke(context, request.Path);
    }

    public override void EnumerateInstances(ICimLiteContext context, EnumerateInstancesRequest request)
    {
        Record(context, request, "Enumerate", context.ClassName);
        OnEnumerate?.Invoke(context);
    }

    private void Record(ICimLiteContext context, ProviderRequest request, string operation, string target)
    {
        Contexts.Add(context);
        Requests.Add(request);
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
