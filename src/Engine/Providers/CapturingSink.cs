namespace CimLite
{
    /// <summary>Forwards messages, progress and prompts to the client's sink, but keeps posted instances.</summary>
    internal sealed class CapturingSink : ICimLiteOperationSink
    {
        private readonly ICimLiteOperationSink? _inner;

        public CapturingSink(ICimLiteOperationSink? inner) { _inner = inner; }

        public CimLiteInstance? First { get; private set; }

        public void OnInstance(CimLiteInstance instance)
        {
            if (First == null) First = instance;
        }

        public void OnMessage(CimMessageChannel channel, string message) => _inner?.OnMessage(channel, message);

        public void OnProgress(string activity, string statusDescription, int percentComplete) => _inner?.OnProgress(activity, statusDescription, percentComplete);

        public bool ShouldProcess(string target, string action) => _inner?.ShouldProcess(target, action) ?? true;

        public bool ShouldContinue(string query, string caption) => _inner?.ShouldContinue(query, caption) ?? true;
    }

    /// <summary>Collects posted instances (for the pull form of enumeration) and forwards the rest.</summary>
    internal sealed class CollectingSink : ICimLiteOperationSink
    {
        private readonly ICimLiteOperationSink? _inner;

        public CollectingSink(ICimLiteOperationSink? inner) { _inner = inner; }

        public System.Collections.Generic.List<CimLiteInstance> Items { get; } = new System.Collections.Generic.List<CimLiteInstance>();

        public void OnInstance(CimLiteInstance instance) => Items.Add(instance);

        public void OnMessage(CimMessageChannel channel, string message) => _inner?.OnMessage(channel, message);

        public void OnProgress(string activity, string statusDescription, int percentComplete) => _inner?.OnProgress(activity, statusDescription, percentComplete);

        public bool ShouldProcess(string target, string action) => _inner?.ShouldProcess(target, action) ?? true;

        public bool ShouldContinue(string query, string caption) => _inner?.ShouldContinue(query, caption) ?? true;
    }
}
