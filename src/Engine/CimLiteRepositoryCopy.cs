using System;

namespace CimLite
{
    public static partial class CimLiteRepository
    {
        /// <summary>
        /// Copies namespaces, qualifier declarations, classes, instances and the posted queue from one repository to
        /// another (issue 18: file to server and back; any two sessions): read as one snapshot of the source, written in
        /// one transaction of the destination, so the destination gets all of it or, on any error, nothing. Providers
        /// are not called: what is copied is what the source stores. The destination may hold other classes, but none
        /// of the source's (ALREADY_EXISTS naming the first), and a qualifier declared in both must be declared alike.
        /// </summary>
        /// <remarks>progress: called with (items copied, items in all), items being classes and instances.</remarks>
        /// <exception cref="CimLiteException">INVALID_PARAMETER when both are the same repository; ACCESS_DENIED for a
        /// read-only destination; ALREADY_EXISTS as above; the busy and storage errors of a write.</exception>
        public static CimLiteCopyResult Copy(CimLiteSession source, CimLiteSession destination, Action<long, long>? progress = null)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            if (!source.IsInMemory && !destination.IsInMemory && SamePath(source.Path, destination.Path))
                throw new CimLiteException(CimStatus.InvalidParameter, Messages.CareSameFile(destination.Path));
            return source.CopyInto(destination, progress);
        }
    }
}
