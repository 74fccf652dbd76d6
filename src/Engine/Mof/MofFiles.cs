using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CimLite.Mof
{
    /// <summary>
    /// Reads MOF files safely: only regular files (a FIFO would block forever, a device such as /dev/zero never
    /// ends), and at most a size limit; the text is decoded as File.ReadAllText does (BOM, else UTF-8).
    /// </summary>
    internal static class MofFiles
    {
        /// <summary>The exceptions that mean "the file system refused this path or file".</summary>
        public static bool IsIoFailure(Exception e) =>
            e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException
            || e is System.Security.SecurityException;

        public static string Read(string path, long maxFileSize)
        {
            if (!IsRegularFile(path)) throw new CimLiteException(CimStatus.Failed, MofMessages.NotRegularFile(path));
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                long length = stream.Length;
                if (length > maxFileSize) throw new CimLiteException(CimStatus.Failed, MofMessages.FileTooLarge(path, length, maxFileSize));
                using (var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
                {
                    // A regular file that grew after the length was read is still bounded: read at most the limit.
                    var buffer = new char[4096];
                    var text = new System.Text.StringBuilder((int)Math.Min(length, int.MaxValue / 2));
                    long total = 0;
                    int n;
                    while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += n;
                        if (total > maxFileSize) throw new CimLiteException(CimStatus.Failed, MofMessages.FileTooLarge(path, total, maxFileSize));
                        text.Append(buffer, 0, n);
                    }
                    return text.ToString();
                }
            }
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
                var status = new byte[512];
                try
                {
                    if (SystemNativeStat(path, status) != 0) return true; // let opening it report the error
                    int mode = BitConverter.ToInt32(status, 4);
                    return (mode & 0xF000) == 0x8000;
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
            return (File.GetAttributes(path) & (FileAttributes.Device | FileAttributes.Directory)) == 0;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        private static extern int SystemNativeStat(string path, byte[] status);
    }
}
