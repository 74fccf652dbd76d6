using System;

namespace CimLite
{
    /// <summary>An indication taken from the durable posted queue.</summary>
    public sealed class PostedIndication
    {
        internal PostedIndication(long sequence, DateTimeOffset postedAt, CimLiteInstance instance)
        {
            Sequence = sequence;
            PostedAt = postedAt;
            Instance = instance;
        }

        /// <summary>The position in posting order (strictly increasing, never reused).</summary>
        public long Sequence { get; }

        /// <summary>When it was posted (UTC).</summary>
        public DateTimeOffset PostedAt { get; }

        /// <summary>The snapshot that was posted.</summary>
        public CimLiteInstance Instance { get; }
    }

    /// <summary>What <see cref="CimLiteSession.ReceivePosted"/> takes from the posted queue.</summary>
    public sealed class ReceiveOptions
    {
        /// <summary>Only indications of this class and its subclasses; all when null.</summary>
        public string? ClassName { get; set; }

        /// <summary>The namespace; the session's default when null.</summary>
        public string? Namespace { get; set; }

        /// <summary>Leave what is returned in the queue (peek).</summary>
        public bool Keep { get; set; }

        /// <summary>Only indications posted after this sequence number (for paging with <see cref="Keep"/>).</summary>
        public long AfterSequence { get; set; }

        /// <summary>Return at most this many.</summary>
        public int? First { get; set; }

        /// <summary>When the queue holds nothing, wait until something arrives, the timeout passes or the call is cancelled.</summary>
        public bool Wait { get; set; }

        /// <summary>How long <see cref="Wait"/> waits; forever when null.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>How many indications one transaction takes (and removes) at a time.</summary>
        public int BatchSize { get; set; } = 1000;
    }
}
