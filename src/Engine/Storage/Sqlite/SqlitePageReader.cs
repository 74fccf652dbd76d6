using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CimLite.Storage.Sqlite
{
    /// <summary>
    /// Reads the rows of a SQLite database file page by page, without SQLite (repair's second reader, issue 16 item 5):
    /// every page is read on its own from the file's bytes (opened for reading only), table b-tree leaf pages (type 0x0D)
    /// are recognised wherever they are, and their cells decoded (payload length and rowid varints, the record header's
    /// serial types, the values, overflow chains followed by their 4-byte next-page pointers). Interior pages and the
    /// schema are never needed: rows under a damaged interior page or behind a damaged schema page are still found.
    /// Written from the public description of the file format (sqlite.org/fileformat2.html).
    /// Limits: pages on the freelist are skipped (their stale rows were deleted), as far as the freelist can be read;
    /// a row whose overflow chain is broken is reported as undecodable; WITHOUT ROWID tables are not read (index pages
    /// only as evidence). The write-ahead log beside the file is read as SQLite reads it (committed frames whose salts
    /// and checksums hold): the newest committed version of a page wins over the file's.
    /// </summary>
    internal sealed class SqlitePageReader : IDisposable
    {
        private readonly FileStream _file;
        private FileStream? _wal;
        /// <summary>Page number to the offset of its newest committed frame in the write-ahead log.</summary>
        private readonly Dictionary<long, long> _walFrames = new Dictionary<long, long>();
        private readonly Encoding _text;
        private readonly HashSet<long> _free = new HashSet<long>();
        private readonly byte[] _page;
        private readonly byte[] _overflow;

        private SqlitePageReader(FileStream file, int pageSize, int reserved, Encoding text, long pages)
        {
            _file = file;
            PageSize = pageSize;
            Usable = pageSize - reserved;
            _text = text;
            Pages = pages;
            _page = new byte[pageSize];
            _overflow = new byte[pageSize];
        }

        /// <summary>Bytes per page.</summary>
        public int PageSize { get; }

        /// <summary>Bytes per page less the reserved bytes at each page's end.</summary>
        public int Usable { get; }

        /// <summary>Pages in the file (whole pages actually there: a file cut short has fewer than its header says), or as the log's last commit says.</summary>
        public long Pages { get; private set; }

        /// <summary>Pages read from the write-ahead log instead of the file (its committed frames, newest per page).</summary>
        public int LogPages => _walFrames.Count;

        /// <summary>Pages found on the freelist (skipped).</summary>
        public int FreePages => _free.Count;

        /// <summary>What the reader had to assume (a header it could not trust, a freelist it could not follow).</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>Opens <paramref name="path"/> for reading only; null when it is too short to hold one page.</summary>
        public static SqlitePageReader? Open(string path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                var header = new byte[100];
                if (ReadAt(file, 0, header, 100) < 100) { file.Dispose(); return null; }
                var notes = new List<string>();
                int pageSize = (header[16] << 8) | header[17];
                if (pageSize == 1) pageSize = 65536;
                int reserved = header[20];
                if (!PowerOfTwoPageSize(pageSize) || pageSize - reserved < 480)
                {
                    pageSize = GuessPageSize(file);
                    reserved = 0;
                    notes.Add(Messages.PageReaderGuessedPageSize(pageSize));
                }
                Encoding text;
                switch (Be32(header, 56))
                {
                    case 2: text = new UnicodeEncoding(false, false); break;
                    case 3: text = new UnicodeEncoding(true, false); break;
                    default: text = new UTF8Encoding(false); break;
                }
                long pages = file.Length / pageSize;
                if (pages == 0) { file.Dispose(); return null; }
                var reader = new SqlitePageReader(file, pageSize, reserved, text, pages);
                reader.Notes.AddRange(notes);
                reader.ReadLog(path + "-wal");
                // The header as the log's last commit left it (page 1 may be there).
                var first = new byte[pageSize];
                if (reader._walFrames.ContainsKey(1) && reader.ReadPage(1, first)) Buffer.BlockCopy(first, 0, header, 0, 100);
                reader.ReadFreelist(Be32(header, 32), Be32(header, 36));
                return reader;
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        private static bool PowerOfTwoPageSize(int size) => size >= 512 && size <= 65536 && (size & (size - 1)) == 0;

        /// <summary>The page size under which most of the file's pages look like b-tree pages (the header was damaged).</summary>
        private static int GuessPageSize(FileStream file)
        {
            int best = 4096, bestScore = -1;
            for (int size = 512; size <= 65536; size *= 2)
            {
                var buffer = new byte[size];
                int score = 0;
                // At most 4,096 pages or 64 MB per candidate: enough to tell, bounded on a large file.
                long pages = Math.Min(file.Length / size, Math.Min(4096, (64L << 20) / size));
                for (long page = 2; page <= pages; page++)
                {
                    if (ReadAt(file, (page - 1) * size, buffer, size) < size) break;
                    byte type = buffer[0];
                    if (type != 0x02 && type != 0x05 && type != 0x0A && type != 0x0D) continue;
                    int cells = (buffer[3] << 8) | buffer[4];
                    int start = (buffer[5] << 8) | buffer[6];
                    if (start == 0) start = 65536;
                    int headerBytes = type == 0x02 || type == 0x05 ? 12 : 8;
                    if (headerBytes + 2 * cells <= start && start <= size) score++;
                }
                if (score > bestScore) { best = size; bestScore = score; }
            }
            return best;
        }

        private static int ReadAt(FileStream file, long offset, byte[] buffer, int count)
        {
            file.Seek(offset, SeekOrigin.Begin);
            int done = 0;
            while (done < count)
            {
                int n = file.Read(buffer, done, count - done);
                if (n <= 0) break;
                done += n;
            }
            return done;
        }

        private static long Be32(byte[] b, int at) => ((long)b[at] << 24) | ((long)b[at + 1] << 16) | ((long)b[at + 2] << 8) | b[at + 3];

        private static int Be16(byte[] b, int at) => (b[at] << 8) | b[at + 1];

        private bool ReadPage(long page, byte[] buffer)
        {
            if (page < 1 || page > Pages) return false;
            if (_wal != null && _walFrames.TryGetValue(page, out var frame)) return ReadAt(_wal, frame, buffer, PageSize) == PageSize;
            return ReadAt(_file, (page - 1) * PageSize, buffer, PageSize) == PageSize;
        }

        /// <summary>
        /// Reads the write-ahead log beside the file, as SQLite would: its header (magic, page size, salts, checksum), then
        /// frames while their salts match and their running checksum holds; the pages of the frames up to the last commit
        /// frame replace the file's (the newest frame of a page wins) and the commit frame's page count is the database's.
        /// A log that does not fit (another page size, a bad header) is not used (a note says so).
        /// </summary>
        private void ReadLog(string walPath)
        {
            FileStream wal;
            try
            {
                if (!File.Exists(walPath)) return;
                wal = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return; }
            var header = new byte[32];
            if (wal.Length < 32 + 24 + PageSize || ReadAt(wal, 0, header, 32) < 32) { wal.Dispose(); return; }
            long magic = Be32(header, 0);
            if ((magic != 0x377f0682 && magic != 0x377f0683) || Be32(header, 8) != PageSize)
            {
                Notes.Add(Messages.PageReaderLogUnused(walPath));
                wal.Dispose();
                return;
            }
            bool bigEndian = magic == 0x377f0683;
            uint s0 = 0, s1 = 0;
            Checksum(header, 0, 24, bigEndian, ref s0, ref s1);
            if (s0 != (uint)Be32(header, 24) || s1 != (uint)Be32(header, 28))
            {
                Notes.Add(Messages.PageReaderLogUnused(walPath));
                wal.Dispose();
                return;
            }
            var frameHeader = new byte[24];
            var page = new byte[PageSize];
            var pending = new Dictionary<long, long>();
            long committedPages = 0;
            for (long at = 32; at + 24 + PageSize <= wal.Length; at += 24 + PageSize)
            {
                if (ReadAt(wal, at, frameHeader, 24) < 24 || ReadAt(wal, at + 24, page, PageSize) < PageSize) break;
                if (Be32(frameHeader, 8) != Be32(header, 16) || Be32(frameHeader, 12) != Be32(header, 20)) break;
                Checksum(frameHeader, 0, 8, bigEndian, ref s0, ref s1);
                Checksum(page, 0, PageSize, bigEndian, ref s0, ref s1);
                if (s0 != (uint)Be32(frameHeader, 16) || s1 != (uint)Be32(frameHeader, 20)) break;
                long number = Be32(frameHeader, 0);
                if (number < 1) break;
                pending[number] = at + 24;
                long commit = Be32(frameHeader, 4);
                if (commit != 0)
                {
                    foreach (var pair in pending) _walFrames[pair.Key] = pair.Value;
                    pending.Clear();
                    committedPages = commit;
                }
            }
            if (_walFrames.Count == 0) { wal.Dispose(); return; }
            _wal = wal;
            Pages = Math.Max(committedPages, 1);
        }

        /// <summary>The log's running checksum over 32-bit words (pairs), in the byte order its magic says.</summary>
        private static void Checksum(byte[] b, int offset, int length, bool bigEndian, ref uint s0, ref uint s1)
        {
            for (int i = offset; i + 8 <= offset + length; i += 8)
            {
                uint x0 = bigEndian ? (uint)Be32(b, i) : (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
                uint x1 = bigEndian ? (uint)Be32(b, i + 4) : (uint)(b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24));
                unchecked
                {
                    s0 += x0 + s1;
                    s1 += x1 + s0;
                }
            }
        }

        /// <summary>Collects the freelist's trunk and leaf pages; a chain that leaves the file or loops is followed no further.</summary>
        private void ReadFreelist(long trunk, long count)
        {
            var buffer = new byte[PageSize];
            var trunks = new HashSet<long>();
            while (trunk != 0)
            {
                if (trunk < 2 || trunk > Pages || !trunks.Add(trunk) || !ReadPage(trunk, buffer))
                {
                    Notes.Add(Messages.PageReaderFreelistBroken(trunk));
                    return;
                }
                _free.Add(trunk);
                long leaves = Be32(buffer, 4);
                if (leaves > (Usable - 8) / 4)
                {
                    Notes.Add(Messages.PageReaderFreelistBroken(trunk));
                    return;
                }
                for (int i = 0; i < leaves; i++)
                {
                    long leaf = Be32(buffer, 8 + 4 * i);
                    if (leaf >= 2 && leaf <= Pages) _free.Add(leaf);
                }
                trunk = Be32(buffer, 0);
            }
            if (count != _free.Count && _free.Count > 0) Notes.Add(Messages.PageReaderFreelistCount(count, _free.Count));
        }

        /// <summary>Whether <paramref name="page"/> is on the freelist.</summary>
        public bool IsFree(long page) => _free.Contains(page);

        /// <summary>SQLite's storage class of a serial type.</summary>
        public enum Kind { Null, Integer, Real, Text, Blob, Invalid }

        public static Kind KindOf(long serialType) =>
            serialType == 0 ? Kind.Null
            : serialType <= 6 || serialType == 8 || serialType == 9 ? Kind.Integer
            : serialType == 7 ? Kind.Real
            : serialType < 12 ? Kind.Invalid
            : (serialType & 1) == 0 ? Kind.Blob : Kind.Text;

        private static long ContentBytes(long serialType)
        {
            switch (serialType)
            {
                case 0: case 8: case 9: return 0;
                case 1: return 1;
                case 2: return 2;
                case 3: return 3;
                case 4: return 4;
                case 5: return 6;
                case 6: case 7: return 8;
                default: return serialType >= 12 ? (serialType - 12) / 2 : -1;
            }
        }

        /// <summary>One cell of a table leaf page (its rowid) or of an index page: its columns' serial types, and (on demand) its values.</summary>
        public sealed class Cell
        {
            internal SqlitePageReader Reader = null!;
            internal byte[] Local = Array.Empty<byte>();
            internal long PayloadBytes;
            internal long FirstOverflow;
            internal int HeaderBytes;

            public long Page;
            public long RowId;
            public long[] SerialTypes = Array.Empty<long>();

            /// <summary>The record's values (null, long, double, string, byte[]); null when the overflow chain is broken or the record is inconsistent.</summary>
            public object?[]? Values() => Reader.Decode(this);
        }

        /// <summary>
        /// Every cell of every table leaf page not on the freelist, in page order; <paramref name="undecodable"/> is told
        /// of each cell whose rowid could be read but whose record could not (page, rowid or null).
        /// </summary>
        public IEnumerable<Cell> LeafCells(Action<long, long?>? undecodable = null, Action<long>? progress = null) =>
            Cells(index: false, undecodable, progress);

        /// <summary>
        /// Every cell of every index b-tree page (leaf and interior: both hold whole index records) not on the freelist:
        /// the record's last column is the rowid of the table row it indexes. Evidence of rows whose table pages are gone.
        /// </summary>
        public IEnumerable<Cell> IndexCells() => Cells(index: true, null, null);

        private IEnumerable<Cell> Cells(bool index, Action<long, long?>? undecodable, Action<long>? progress)
        {
            for (long page = 1; page <= Pages; page++)
            {
                if (progress != null && (page & 1023) == 0) progress(page);
                if (_free.Contains(page) || !ReadPage(page, _page)) continue;
                int header = page == 1 ? 100 : 0;
                byte type = _page[header];
                if (index ? type != 0x0A && type != 0x02 : type != 0x0D) continue;
                int cells = Be16(_page, header + 3);
                int pointers = header + (type == 0x02 ? 12 : 8);
                if (cells == 0 || pointers + 2 * cells > Usable) continue;
                var found = new List<Cell>(cells);
                for (int i = 0; i < cells; i++)
                {
                    int at = Be16(_page, pointers + 2 * i);
                    var cell = ParseCell(page, type, at, pointers + 2 * cells, out long? rowid);
                    if (cell != null) found.Add(cell);
                    else undecodable?.Invoke(page, rowid);
                }
                foreach (var cell in found) yield return cell;
            }
        }

        /// <summary>Reads a varint at <paramref name="at"/> of <paramref name="b"/> (up to <paramref name="end"/>); false when it runs past the end.</summary>
        private static bool Varint(byte[] b, int at, int end, out long value, out int length)
        {
            ulong v = 0;
            for (int i = 0; i < 9; i++)
            {
                if (at + i >= end) { value = 0; length = 0; return false; }
                byte x = b[at + i];
                if (i == 8)
                {
                    v = (v << 8) | x;
                    value = unchecked((long)v);
                    length = 9;
                    return true;
                }
                v = (v << 7) | (uint)(x & 0x7F);
                if ((x & 0x80) == 0)
                {
                    value = unchecked((long)v);
                    length = i + 1;
                    return true;
                }
            }
            value = 0;
            length = 0;
            return false;
        }

        /// <summary>How much of a payload of <paramref name="payload"/> bytes a cell keeps on its own page (table leaf or index page).</summary>
        public static long LocalBytes(long payload, int usable, bool index = false)
        {
            long most = index ? ((usable - 12) * 64 / 255) - 23 : usable - 35;
            if (payload <= most) return payload;
            long least = ((usable - 12) * 32 / 255) - 23;
            long k = least + ((payload - least) % (usable - 4));
            return k <= most ? k : least;
        }

        private Cell? ParseCell(long page, byte type, int at, int firstContent, out long? rowid)
        {
            rowid = null;
            if (type == 0x02) at += 4; // an index interior cell starts with its left child's page number
            if (at < firstContent || at >= Usable) return null;
            if (!Varint(_page, at, Usable, out long payload, out int n1) || payload < 1) return null;
            long id = 0;
            int n2 = 0;
            if (type == 0x0D)
            {
                if (!Varint(_page, at + n1, Usable, out id, out n2)) return null;
                rowid = id;
            }
            long local = LocalBytes(payload, Usable, type != 0x0D);
            int start = at + n1 + n2;
            if (start + local > Usable || (local < payload && start + local + 4 > Usable)) return null;
            var bytes = new byte[local];
            Buffer.BlockCopy(_page, start, bytes, 0, (int)local);
            var cell = new Cell { Reader = this, Page = page, RowId = id, Local = bytes, PayloadBytes = payload, FirstOverflow = local < payload ? Be32(_page, start + (int)local) : 0 };
            // The record header: its size, then one serial type per column; it must lie in the local part.
            if (!Varint(bytes, 0, bytes.Length, out long headerBytes, out int n3) || headerBytes < n3 || headerBytes > bytes.Length) return null;
            var types = new List<long>();
            long total = headerBytes;
            for (int p = n3; p < headerBytes;)
            {
                if (!Varint(bytes, p, (int)headerBytes, out long serial, out int n)) return null;
                long size = ContentBytes(serial);
                if (size < 0) return null;
                total += size;
                types.Add(serial);
                p += n;
            }
            if (total != payload) return null;
            cell.HeaderBytes = (int)headerBytes;
            cell.SerialTypes = types.ToArray();
            return cell;
        }

        private object?[]? Decode(Cell cell)
        {
            byte[] payload;
            if (cell.FirstOverflow == 0) payload = cell.Local;
            else
            {
                if (cell.PayloadBytes > int.MaxValue) return null;
                payload = new byte[cell.PayloadBytes];
                Buffer.BlockCopy(cell.Local, 0, payload, 0, cell.Local.Length);
                int filled = cell.Local.Length;
                long next = cell.FirstOverflow;
                var seen = new HashSet<long>();
                while (filled < payload.Length)
                {
                    // An overflow page: the next page's number, then content up to the usable end.
                    if (next < 2 || !seen.Add(next) || _free.Contains(next) || !ReadPage(next, _overflow)) return null;
                    int take = Math.Min(Usable - 4, payload.Length - filled);
                    Buffer.BlockCopy(_overflow, 4, payload, filled, take);
                    filled += take;
                    next = Be32(_overflow, 0);
                }
                if (next != 0) return null;
            }
            var values = new object?[cell.SerialTypes.Length];
            int at = cell.HeaderBytes;
            for (int i = 0; i < values.Length; i++)
            {
                long type = cell.SerialTypes[i];
                int size = (int)ContentBytes(type);
                if (at + size > payload.Length) return null;
                switch (KindOf(type))
                {
                    case Kind.Null: values[i] = null; break;
                    case Kind.Integer:
                        if (type == 8) values[i] = 0L;
                        else if (type == 9) values[i] = 1L;
                        else
                        {
                            long v = (sbyte)payload[at];
                            for (int j = 1; j < size; j++) v = (v << 8) | payload[at + j];
                            values[i] = v;
                        }
                        break;
                    case Kind.Real:
                        {
                            long bits = 0;
                            for (int j = 0; j < 8; j++) bits = (bits << 8) | payload[at + j];
                            values[i] = BitConverter.Int64BitsToDouble(bits);
                        }
                        break;
                    case Kind.Text:
                        values[i] = _text.GetString(payload, at, size);
                        break;
                    case Kind.Blob:
                        {
                            var blob = new byte[size];
                            Buffer.BlockCopy(payload, at, blob, 0, size);
                            values[i] = blob;
                        }
                        break;
                    default: return null;
                }
                at += size;
            }
            return values;
        }

        public void Dispose()
        {
            _file.Dispose();
            _wal?.Dispose();
        }
    }
}
