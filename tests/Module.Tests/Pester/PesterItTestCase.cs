using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CimLite.Tests.Pester;

/// <summary>
/// A test method run once per Pester It of tests/Pester under each Pester version: it takes
/// (string version, string file, string it), the cases found by Pester's own discovery. A method that throws
/// <see cref="PesterSkippedException"/> is reported skipped (xunit 2 has no skipping at run time).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("CimLite.Tests.Pester.PesterItDiscoverer", "CimLite.Module.Tests")]
public sealed class PesterItsAttribute : FactAttribute
{
}

/// <summary>Thrown by a Pester It test when Pester skipped the It (-Skip, Set-ItResult -Skipped).</summary>
public sealed class PesterSkippedException : Exception
{
    public PesterSkippedException(string reason)
        : base(reason)
    {
    }
}

/// <summary>Finds the cases of <see cref="PesterItsAttribute"/>: every It of every file, under each Pester version.</summary>
public sealed class PesterItDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink diagnosticMessageSink;

    public PesterItDiscoverer(IMessageSink diagnosticMessageSink) => this.diagnosticMessageSink = diagnosticMessageSink;

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        var cases = new List<IXunitTestCase>();
        try
        {
            foreach (var version in RealPester.Versions)
            {
                var discovery = RealPester.Discovery(version);
                foreach (var file in RealPester.FileNames)
                {
                    foreach (var (key, _) in discovery.InFile(file))
                    {
                        cases.Add(new PesterItTestCase(diagnosticMessageSink, display, options, testMethod, new object[] { version, file, key }));
                    }
                }
            }
        }
        catch (Exception e)
        {
            return new[] { new ExecutionErrorTestCase(diagnosticMessageSink, display, options, testMethod, "Pester discovery failed: " + e) };
        }

        return cases;
    }
}

/// <summary>One Pester It under one Pester version; reported skipped when the test method throws <see cref="PesterSkippedException"/>.</summary>
public sealed class PesterItTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public PesterItTestCase()
    {
    }

    public PesterItTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, object[] testMethodArguments)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments)
    {
    }

    protected override void Initialize()
    {
        base.Initialize();
        DisplayName = $"Pester {TestMethodArguments[0]} {TestMethodArguments[1]}: {TestMethodArguments[2]}";
    }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        using var bus = new SkippingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        if (bus.Skipped > 0)
        {
            summary.Failed -= bus.Skipped;
            summary.Skipped += bus.Skipped;
        }

        return summary;
    }

    /// <summary>Turns a failure by <see cref="PesterSkippedException"/> into a skip.</summary>
    private sealed class SkippingMessageBus : IMessageBus
    {
        private readonly IMessageBus inner;

        public SkippingMessageBus(IMessageBus inner) => this.inner = inner;

        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(PesterSkippedException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped by Pester"));
            }

            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
