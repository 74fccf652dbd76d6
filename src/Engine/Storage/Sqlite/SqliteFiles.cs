using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// File-level repository care of SQLite files (issue 16): who has a file open, putting a finished copy in place
    /// atomically (write beside, fsync, rename, fsync the folder), and Restore's replace that keeps the old file.
    /// </summary>
    internal static class SqliteFiles
    {
        private static IEnumerable<string> Companions(string fullPath)
        {
            yield return fullPath + "-wal";
            yield return fullPath + "-shm";
            yield return fullPath + "-journal";
        }

        /// <summary>Deletes a file and its companions, ignoring what is not there.</summary>
        public static void Delete(string fullPath)
        {
            foreach (var file in new[] { fullPath, fullPath + "-wal", fullPath + "-shm", fullPath + "-journal" })
            {
                try { if (File.Exists(file)) File.Delete(file); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
        }

        /// <summary>
        /// Who has <paramref name="fullPath"/> (or its -wal/-shm) open: sessions of this process (always known), and on
        /// Linux other processes of this user (from /proc/&lt;pid&gt;/fd). Elsewhere other processes are not seen.
        /// </summary>
        public static List<string> Users(string fullPath)
        {
            var users = new List<string>();
            int own = SqliteRepository.OpenCount(fullPath);
            int self = System.Diagnostics.Process.GetCurrentProcess().Id;
            if (own > 0) users.Add(Messages.CareUserThisProcess(own, self));
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !Directory.Exists("/proc")) return users;
            var names = new HashSet<string>(StringComparer.Ordinal) { fullPath, fullPath + "-wal", fullPath + "-shm", fullPath + "-journal" };
            string[] pids;
            try { pids = Directory.GetDirectories("/proc"); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return users; }
            foreach (var dir in pids)
            {
                if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == self) continue;
                string[] fds;
                try { fds = Directory.GetFiles(dir + "/fd"); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { continue; }
                foreach (var fd in fds)
                {
                    var target = ReadLink(fd);
                    if (target == null || !names.Contains(target)) continue;
                    string name = "";
                    try { name = File.ReadAllText(dir + "/comm").Trim(); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
                    users.Add(Messages.CareUserProcess(pid, name));
                    break;
                }
            }
            return users;
        }

        [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
        private static extern IntPtr NativeReadLink(string path, byte[] buffer, IntPtr size);

        private static string? ReadLink(string path)
        {
            try
            {
                var buffer = new byte[4096];
                long n = NativeReadLink(path, buffer, (IntPtr)buffer.Length).ToInt64();
                return n <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int NativeOpen(string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        private static extern int NativeFsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int NativeClose(int fd);

        /// <summary>Makes a rename in <paramref name="folder"/> durable (fsync of the folder; Unix, best effort).</summary>
        private static void SyncFolder(string? folder)
        {
            if (string.IsNullOrEmpty(folder) || RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            try
            {
                int fd = NativeOpen(folder!, 0); // O_RDONLY
                if (fd < 0) return;
                NativeFsync(fd);
                NativeClose(fd);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { }
        }

        private static void SyncFile(string file)
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
                stream.Flush(flushToDisk: true);
        }

        /// <summary>
        /// Puts the finished file <paramref name="temporary"/> at <paramref name="destination"/>: fsync, then one rename
        /// (atomic: a crash leaves the old file or the new one), then the folder's fsync. Leftover -wal/-shm of an older file
        /// at that name (nobody has it open) are removed first: SQLite would otherwise replay that log onto the new file.
        /// </summary>
        public static void Place(string temporary, string destination)
        {
            SyncFile(temporary);
            foreach (var companion in Companions(destination))
                if (File.Exists(companion)) File.Delete(companion);
            if (File.Exists(destination)) ReplaceKeeping(temporary, destination, null);
            else File.Move(temporary, destination);
            SyncFolder(System.IO.Path.GetDirectoryName(destination));
        }

        /// <summary>
        /// Replaces <paramref name="destination"/> by a copy of the verified <paramref name="backup"/>: the copy is written
        /// beside it (0600) and fsynced; a log the old file still has is checkpointed into it; then one File.Replace (a hard
        /// link of the old file as <c>&lt;name&gt;.before-restore</c> when <paramref name="keepPrevious"/>, and a rename
        /// over the old name), so a crash at any moment leaves the old repository or the new one at the name, never a mix.
        /// Returns the kept file's path, or null; <paramref name="removed"/>: the copies earlier restores killed mid-way left,
        /// removed first (see <see cref="RemoveStaleCopies"/>).
        /// </summary>
        public static string? Restore(string backup, string destination, bool keepPrevious, Action<long, long>? progress, out List<string> removed)
        {
            removed = new List<string>();
            return RestoreCore(backup, destination, keepPrevious, progress, removed);
        }

        /// <summary>The copies a restore in this process is writing now (a cleanup must not take them for leftovers).</summary>
        private static readonly HashSet<string> Writing = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Removes the copies that restores of <paramref name="destination"/> killed mid-way left beside it
        /// (<c>&lt;name&gt;.restoring-xxxxxxxx</c> and its -wal/-shm/-journal), but none in use: not one a restore of this
        /// process is writing, not one another process has open (Linux: seen in /proc; Windows: it cannot be opened
        /// exclusively), and where other processes cannot be seen, none changed in the last hour. Returns the removed files.
        /// </summary>
        public static List<string> RemoveStaleCopies(string destination)
        {
            var removed = new List<string>();
            string folder = System.IO.Path.GetDirectoryName(destination)!;
            if (!Directory.Exists(folder)) return removed;
            var pattern = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(System.IO.Path.GetFileName(destination)) + @"\.restoring-[0-9a-f]{8}$",
                RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : System.Text.RegularExpressions.RegexOptions.None);
            var copies = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var file in Directory.GetFiles(folder, System.IO.Path.GetFileName(destination) + ".restoring-*"))
                {
                    var name = System.IO.Path.GetFileName(file);
                    foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
                        if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name.Substring(0, name.Length - suffix.Length);
                    if (pattern.IsMatch(name)) copies.Add(System.IO.Path.Combine(folder, name));
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return removed; }
            bool linux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Directory.Exists("/proc");
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            foreach (var copy in copies)
            {
                lock (Writing) if (Writing.Contains(copy)) continue;
                var group = new List<string>();
                foreach (var file in new[] { copy, copy + "-wal", copy + "-shm", copy + "-journal" }) if (File.Exists(file)) group.Add(file);
                if (linux)
                {
                    if (Users(copy).Count > 0) continue;
                }
                else if (windows)
                {
                    if (group.Exists(InUseOnWindows)) continue;
                }
                else if (group.Exists(file => DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < TimeSpan.FromHours(1))) continue;
                foreach (var file in group)
                {
                    try
                    {
                        File.Delete(file);
                        removed.Add(file);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
                }
            }
            return removed;
        }

        private static bool InUseOnWindows(string file)
        {
            try
            {
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return false;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return true;
            }
        }

        private static string? RestoreCore(string backup, string destination, bool keepPrevious, Action<long, long>? progress, List<string> removed)
        {
            string folder = System.IO.Path.GetDirectoryName(destination)!;
            if (!Directory.Exists(folder))
            {
                if (!SqliteRepository.TryCreateDirectoryWithMode(folder, 0x1C0)) Directory.CreateDirectory(folder);
            }
            removed.AddRange(RemoveStaleCopies(destination));
            string temporary = destination + ".restoring-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            lock (Writing) Writing.Add(temporary);
            try
            {
                SqliteRepository.CreateOwnerOnlyFileAt(temporary);
                if (HasContent(backup + "-wal"))
                {
                    // A backup with a log beside it: copy what SQLite reads (file and log), as one snapshot.
                    using (var source = SqliteMaintenance.OpenReadOnly(backup))
                    {
                        File.Delete(temporary);
                        source.CopyTo(temporary, progress);
                    }
                }
                else
                {
                    using (var input = new FileStream(backup, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                    using (var output = new FileStream(temporary, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                    {
                        var buffer = new byte[1 << 20];
                        long done = 0, total = input.Length;
                        int n;
                        while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            output.Write(buffer, 0, n);
                            done += n;
                            progress?.Invoke(done, total);
                        }
                        output.Flush(flushToDisk: true);
                    }
                }
                SyncFile(temporary);
                string? kept = null;
                if (File.Exists(destination))
                {
                    CheckpointAway(destination);
                    // The old file's -shm describes its log: remove it with the log (nobody has the file open).
                    foreach (var companion in Companions(destination))
                        if (File.Exists(companion)) File.Delete(companion);
                    if (keepPrevious)
                    {
                        kept = destination + ".before-restore";
                        foreach (var companion in Companions(kept))
                            if (File.Exists(companion)) File.Delete(companion);
                        if (File.Exists(kept)) File.Delete(kept);
                        ReplaceKeeping(temporary, destination, kept);
                    }
                    else ReplaceKeeping(temporary, destination, null);
                }
                else File.Move(temporary, destination);
                SyncFolder(folder);
                return kept;
            }
            catch
            {
                Delete(temporary);
                throw;
            }
            finally
            {
                lock (Writing) Writing.Remove(temporary);
            }
        }

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int NativeLink(string existing, string newName);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
        private static extern int NativeRename(string from, string to);

        /// <summary>
        /// Unix: link(2) the old file as <paramref name="kept"/> (the old name still holds it), then one rename(2) of the
        /// new file over the old name: at every moment the name holds the old file or the new one. Windows: File.Replace.
        /// </summary>
        private static void ReplaceKeeping(string temporary, string destination, string? kept)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                File.Replace(temporary, destination, kept);
                return;
            }
            if (kept != null && NativeLink(destination, kept) != 0)
                throw new IOException(Messages.CareFileStep("link", destination, kept, Marshal.GetLastWin32Error()));
            if (NativeRename(temporary, destination) != 0)
                throw new IOException(Messages.CareFileStep("rename", temporary, destination, Marshal.GetLastWin32Error()));
        }

        private static bool HasContent(string file)
        {
            try { return File.Exists(file) && new FileInfo(file).Length > 0; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return false; }
        }

        /// <summary>
        /// Moves what the old file's log holds into the old file (so the log can go without losing anything of the file
        /// that is kept). A log that cannot be checkpointed (a damaged file) is kept beside the kept file as its -wal.
        /// </summary>
        private static void CheckpointAway(string destination)
        {
            if (!HasContent(destination + "-wal")) return;
            try
            {
                var builder = new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
                using (var connection = new SqliteConnection(builder.ToString()))
                {
                    connection.Open();
                    using (var command = connection.CreateCommand())
                    {
                        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                        using (var reader = command.ExecuteReader())
                            if (reader.Read() && reader.GetInt64(0) != 0) throw new CimLiteException(CimStatus.Failed, Messages.RepositoryBusy(destination));
                    }
                }
            }
            catch (SqliteException)
            {
                // Damaged beyond a checkpoint: keep its log next to the copy of the old file instead of losing it.
                string keptLog = destination + ".before-restore-wal";
                if (File.Exists(keptLog)) File.Delete(keptLog);
                File.Copy(destination + "-wal", keptLog);
                SyncFile(keptLog);
            }
        }
    }
}
