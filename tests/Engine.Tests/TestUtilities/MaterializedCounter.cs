namespace CimLite.Tests.TestUtilities;

/// <summary>Counts the instances a session builds from stored rows (plugged in as its observer): proves that reads stream.</summary>
internal sealed class MaterializedCounter : IInstanceObserver
{
    public long Count { get; private set; }

    public void Materialized(CimLiteInstance instance) => Count++;

    /// <summary>Starts counting on <paramref name="session"/> from zero.</summary>
    public static MaterializedCounter Attach(CimLiteSession session)
    {
        var counter = new MaterializedCounter();
        session.Observer = counter;
        return counter;
    }
}
