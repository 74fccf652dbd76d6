using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CimLite.Mof
{
    /// <summary>
    /// Reads MOF files safely: only regular files (a FIFO would block forever, a device such as /dev/zero never
    /// ends), and at most a size limit; the bytes are decoded strictly by MofText (BOM, else the encoding asked for, else UTF-8).
    /// </summary>
    internal static class MofFiles
    {
        /// <summary>The exceptions that mean "the file system refused this path or file".</summary>
        public static bool IsIoFailure(Exception e) =>
            e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException
            || e is System.Security.SecurityException;

        /// <summary>Reads at most <paramref name="maxFileSize"/> bytes of a regular file and decodes them strictly (<see cref="MofText.Decode"/>).</summary>
        public static string Read(string path, long maxFileSize, System.Text.Encoding? encoding)
        {
            if (!IsRegularFile(path)) throw new CimLiteException(CimStatus.Failed, Messages.Mof.NotRegularFile(path));
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                long length = stream.Length;
                if (length > maxFileSize) throw new CimLiteException(CimStatus.Failed, Messages.Mof.FileTooLarge(path, length, maxFileSize));
                // A regular file that grew after the length was read is still bounded: read at most the limit.
                using (var memory = new MemoryStream((int)Math.Min(length, int.MaxValue / 2)))
                {
                    var buffer = new byte[81920];
                    long total = 0;
                    int n;
                    while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += n;
                        if (total > maxFileSize) throw new CimLiteException(CimStatus.Failed, Messages.Mof.FileTooLarge(path, total, maxFileSize));
                        memory.Write(buffer, 0, n);
                    }
                    bytes = memory.ToArray();
                }
            }
            return MofText.Decode(bytes, path, encoding);
        }

        /// <summary>
        /// False for a FIFO, socket or device. On Unix the file type comes from stat(2) through the .NET runtime's own
        /// native shim (SystemNative_Stat: its FileStatus starts with flags and mode on every .NET since 5); where
        /// that is not available (.NET Framework is Windows-only, which has no such files under ordinary paths) the
        /// answer is what File.GetAttributes says.
        /// </summary>
        public static bool IsRegularFile(string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                if (Storage.FileTrust.TryStat(path, out _, out int mode, out bool available)) return (mode & 0xF000) == 0x8000;
                if (available) return true; // no such file now: let opening it report the error
            }
            return (File.GetAttributes(path) & (FileAttributes.Device | FileAttributes.Directory)) == 0;
        }
    }
}
