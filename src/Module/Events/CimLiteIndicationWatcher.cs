using System;
using System.Management.Automation;
using System.Threading;
using CimLite.Sessions;

namespace CimLite.Events
{
    /// <summary>The handler type of <see cref="CimLiteIndicationWatcher.CimLiteIndicationArrived"/>.</summary>
    public delegate void CimLiteIndicationEventHandler(object sender, CimLiteIndicationEventArgs e);

    /// <summary>
    /// What a subscriber receives as <c>$Event.SourceEventArgs</c>: the new indication (as CimCmdlets'
    /// CimIndicationEventInstanceEventArgs has NewEvent), with its place in posting order.
    /// </summary>
    public sealed class CimLiteIndicationEventArgs : EventArgs
    {
        internal CimLiteIndicationEventArgs(PostedIndication posted)
        {
            NewEvent = posted.Instance;
            PostedSequence = posted.Sequence;
            PostedAt = posted.PostedAt;
        }

        /// <summary>The indication that was posted (a snapshot; it remembers the subscription's session).</summary>
        public CimLiteInstance NewEvent { get; }

        /// <summary>Its sequence number in the posted queue (strictly increasing, never reused).</summary>
        public long PostedSequence { get; }

        /// <summary>When it was posted (UTC).</summary>
        public DateTimeOffset PostedAt { get; }
    }

    /// <summary>
    /// The event source behind <c>Register-CimLiteIndicationEvent</c>: a background thread polls the session's
    /// posted queue every <see cref="PollInterval"/> (a look at the last sequence when nothing is new; see
    /// <see cref="PostedWatch"/>) and generates one PowerShell event per new matching indication, in posting order.
    /// The subscription is made on <see cref="CimLiteIndicationArrived"/> (so Get-EventSubscriber shows this object
    /// as its source, and Unregister-Event and -MaxTriggerCount work as for any object event), but the events are
    /// generated on the watcher's thread through the runspace's event manager: raising the .NET event would let
    /// PowerShell queue each one on the thread pool, which does not keep posting order. It stops, and its thread
    /// ends, when stopped (Unregister-Event, -MaxTriggerCount reached, the runspace closing: the subscriber's
    /// Unsubscribed event), when the event manager let go of its event, or when the session closes.
    /// </summary>
    public sealed class CimLiteIndicationWatcher : IDisposable
    {
        /// <summary>How often the queue is polled.</summary>
        public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

        private readonly PostedWatch _watch;
        private readonly ManualResetEvent _stop = new ManualResetEvent(false);
        private readonly object _startLock = new object();
        private Thread? _thread;
        private volatile bool _stopped;

        internal CimLiteIndicationWatcher(CimLiteSession session, PostedWatch watch, string? query)
        {
            Session = session;
            _watch = watch;
            Query = query;
        }

        /// <summary>The event the PowerShell subscription is made on (see the class remarks); the watcher stops once it has no handler.</summary>
        public event CimLiteIndicationEventHandler? CimLiteIndicationArrived;

        private PSEventManager? _events;
        private PSEventSubscriber? _subscriber;
        private PSObject? _messageData;

        /// <summary>The session watched; the indications remember it.</summary>
        public CimLiteSession Session { get; }

        /// <summary>The namespace watched.</summary>
        public string Namespace => _watch.Namespace;

        /// <summary>The indication class watched (with its subclasses).</summary>
        public string ClassName => _watch.ClassName;

        /// <summary>The WQL query given, if any.</summary>
        public string? Query { get; }

        /// <summary>The sequence of the last indication observed: only later ones are raised.</summary>
        public long HighWater => Interlocked.Read(ref _highWater);

        private long _highWater;

        /// <summary>Whether the polling thread runs.</summary>
        public bool IsRunning => _thread?.IsAlive == true;

        /// <summary>The last error a poll met (busy, I/O), if any; polling goes on after one.</summary>
        public Exception? LastError { get; private set; }

        /// <summary>Starts the polling thread (once), generating the events of <paramref name="subscriber"/> through <paramref name="events"/>.</summary>
        internal void Start(PSEventManager events, PSEventSubscriber subscriber, PSObject? messageData)
        {
            lock (_startLock)
            {
                if (_thread != null || _stopped) return;
                _events = events;
                _subscriber = subscriber;
                _messageData = messageData;
                _highWater = _watch.HighWater;
                _thread = new Thread(Run) { IsBackground = true, Name = "CimLite indication watcher " + ClassName };
                _thread.Start();
            }
        }

        /// <summary>Stops polling and waits (up to two seconds) for the thread to end, unless called on that thread.</summary>
        public void Stop()
        {
            Thread? thread;
            lock (_startLock)
            {
                _stopped = true;
                _stop.Set();
                thread = _thread;
            }
            if (thread != null && thread != Thread.CurrentThread) thread.Join(TimeSpan.FromSeconds(2));
        }

        /// <inheritdoc />
        public void Dispose() => Stop();

        private void Run()
        {
            var gate = SessionGate.Of(Session);
            while (!_stop.WaitOne(PollInterval))
            {
                if (Session.IsClosed || CimLiteIndicationArrived == null) break;
                System.Collections.Generic.IReadOnlyList<PostedIndication> items;
                // The session's connection is shared with the runspace's commands: poll only while nobody else uses it.
                if (!Monitor.TryEnter(gate, PollInterval)) continue;
                try
                {
                    if (Session.IsClosed) break;
                    items = _watch.Poll();
                    Interlocked.Exchange(ref _highWater, _watch.HighWater);
                }
                catch (ObjectDisposedException)
                {
                    break; // the session closed between the check and the poll
                }
                catch (CimLiteException e)
                {
                    LastError = e; // busy, locked, an I/O error: try again at the next interval
                    continue;
                }
                catch (InvalidOperationException e)
                {
                    LastError = e;
                    continue;
                }
                finally
                {
                    Monitor.Exit(gate);
                }
                foreach (var item in items)
                {
                    if (_stopped || CimLiteIndicationArrived == null) break;
                    InstanceSessions.Remember(item.Instance, Session);
                    var args = new CimLiteIndicationEventArgs(item);
                    try
                    {
                        // In this thread: queued (or its -Action scheduled) before the next one, so in posting order.
                        _events!.GenerateEvent(_subscriber!.SourceIdentifier, this, new object[] { this, args }, _messageData, true, false);
                    }
                    catch (Exception e)
                    {
                        LastError = e; // the runspace is closing, say: the Unsubscribed event stops this thread
                    }
                }
            }
        }
    }
}
