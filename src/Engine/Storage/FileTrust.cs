using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace CimLite.Storage
{
    /// <summary>
    /// On Unix, whether a repository file may be trusted: a file (or its -wal, -shm or -journal), or the folder it is in,
    /// that another user owns or can write lets that user read or change the repository (they can replace the file, or
    /// plant a WAL that SQLite would replay). Root is trusted as an owner (it can do anything anyway). Windows and
    /// runtimes without .NET's System.Native library (Windows PowerShell) are not checked here.
    /// </summary>
    internal static class FileTrust
    {
        private const int GroupOrOthersWrite = 0x12; // 0022
        private const int OthersWrite = 0x2;         // 0002

        // .NET's own portable stat (src/native/libs/System.Native): FileStatus begins Flags, Mode, Uid, Gid (4 bytes
        // each); the buffer is larger than the whole struct of any .NET version.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        private static extern int Stat(string path, byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetEUid")]
        private static extern uint GetEUid();

        /// <summary>Owner and permission bits of <paramref name="path"/>; false when it cannot be told (no such file, or no System.Native).</summary>
        internal static bool TryGetOwnerAndMode(string path, out uint uid, out int mode)
        {
            bool found = TryStat(path, out uid, out mode, out _);
            mode &= 0xFFF;
            return found;
        }

        /// <summary>
        /// stat(2) of <paramref name="path"/> on Unix: owner and the whole mode (file type bits included). False when
        /// there is no such file or no way to ask; <paramref name="available"/> tells the two apart.
        /// </summary>
        internal static bool TryStat(string path, out uint uid, out int mode, out bool available)
        {
            uid = 0;
            mode = 0;
            available = false;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
            var status = new byte[512];
            try
            {
                available = true;
                if (Stat(path, status) != 0) return false;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                available = false;
                return false;
            }
            mode = BitConverter.ToInt32(status, 4);
            uid = BitConverter.ToUInt32(status, 8);
            return true;
        }

        /// <summary>The effective user id of this process, or null when it cannot be told.</summary>
        internal static uint? EffectiveUserId()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            try
            {
                return GetEUid();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>
        /// Why <paramref name="fullPath"/> (existing or about to be created) must not be trusted, or null. Checks the
        /// folder (owned by another user, or writable by everyone: a sticky /tmp too, where others may plant the
        /// -wal before it exists), then the file and its companions that exist (owned by another user, or writable by
        /// group or others).
        /// </summary>
        internal static string? Problem(string fullPath)
        {
            uint? me = EffectiveUserId();
            if (me == null) return null;
            string? folder = Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(folder) && TryGetOwnerAndMode(folder!, out uint folderOwner, out int folderMode))
            {
                if (folderOwner != me && folderOwner != 0) return Messages.SharedFolderOwner(folder!, folderOwner, me.Value);
                if ((folderMode & OthersWrite) != 0) return Messages.SharedFolderWritable(folder!, Octal(folderMode));
            }
            foreach (string file in Companions(fullPath))
            {
                if (!TryGetOwnerAndMode(file, out uint owner, out int mode)) continue;
                if (owner != me && owner != 0) return Messages.SharedFileOwner(file, owner, me.Value);
                if ((mode & GroupOrOthersWrite) != 0) return Messages.SharedFileWritable(file, Octal(mode));
            }
            return null;
        }

        private static IEnumerable<string> Companions(string fullPath)
        {
            yield return fullPath;
            yield return fullPath + "-wal";
            yield return fullPath + "-shm";
            yield return fullPath + "-journal";
        }

        private static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');
    }
}
