// The WAL-gathering VFS (wal_write_buffer.h): a shim over the default VFS. Every file opened
// through it is a `ShimFile` followed in the same allocation by the real file; main database
// and other files pass every call through, a WAL file also gathers its writes.
#include "fz/store/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace fz::store {
namespace {

constexpr const char* kVfsName = "fz-wal-gathering";
constexpr size_t kBufferBytes = 1 << 20;  // ~250 frames of 4 KiB pages
constexpr int kChunkBytes = 1 << 20;      // WAL space reserved ahead, in these steps
// The unix VFS masks each write's length with 0x1ffff (os_unix.c, seekAndWriteFd), so a
// longer write would come back short: the buffer goes out in pieces below 128 KiB.
constexpr size_t kPieceBytes = 96 << 10;

std::atomic<int64_t> g_frames_in{0};
std::atomic<int64_t> g_writes_out{0};

sqlite3_vfs* g_real_vfs = nullptr;

struct ShimFile {
  sqlite3_file base;   // pMethods: kMainMethods or kWalMethods
  sqlite3_file* real;  // the default VFS's file, right after this struct
  // A main database file: the WAL of the same connection, once it is open.
  ShimFile* wal = nullptr;
  // A WAL file: its main database file, and the buffered bytes [offset, offset + size).
  ShimFile* main = nullptr;
  std::unique_ptr<char[]> buffer;
  size_t size = 0;
  sqlite3_int64 offset = 0;
  sqlite3_int64 reserved = 0;  // the file is allocated at least this far
};

ShimFile* Shim(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Shim(f)->real; }

// Writes the buffered frames. On error they are dropped: the statement that needed them fails
// and SQLite rolls its transaction back.
int Flush(ShimFile* f) {
  int rc = SQLITE_OK;
  for (size_t done = 0; done < f->size && rc == SQLITE_OK; done += kPieceBytes) {
    size_t piece = std::min(kPieceBytes, f->size - done);
    rc = f->real->pMethods->xWrite(f->real, f->buffer.get() + done, static_cast<int>(piece),
                                   f->offset + static_cast<sqlite3_int64>(done));
    g_writes_out.fetch_add(1, std::memory_order_relaxed);
  }
  f->size = 0;
  return rc;
}

// Before SQLite publishes frames, where an error cannot be returned (see the header).
void FlushOrAbort(ShimFile* main) {
  if (main->wal == nullptr) return;
  int rc = Flush(main->wal);
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "fanzha store: writing the SQLite WAL failed (code %d); aborting\n", rc);
    std::abort();
  }
}

// Allocates the WAL up to `end` now, so that the flush cannot run out of space.
int Reserve(ShimFile* f, sqlite3_int64 end) {
  if (end <= f->reserved) return SQLITE_OK;
  int rc = f->real->pMethods->xFileControl(f->real, SQLITE_FCNTL_SIZE_HINT, &end);
  if (rc == SQLITE_NOTFOUND) rc = SQLITE_OK;  // a VFS without size hints: nothing to reserve
  if (rc != SQLITE_OK) return rc;
  f->reserved = (end + kChunkBytes - 1) / kChunkBytes * kChunkBytes;
  return SQLITE_OK;
}

// ---- pass-through methods (main database and every file) ----

int Close(sqlite3_file* file) {
  ShimFile* f = Shim(file);
  int rc = SQLITE_OK;
  if (f->main != nullptr || f->buffer) {
    rc = Flush(f);
    if (f->main != nullptr) f->main->wal = nullptr;
  }
  if (f->wal != nullptr) f->wal->main = nullptr;
  int close_rc = f->real->pMethods != nullptr ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
  f->~ShimFile();
  return rc != SQLITE_OK ? rc : close_rc;
}
int Read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), p, n, off);
}
int Write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xWrite(Real(f), p, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, page_size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  // A lock change ends or starts a transaction: nothing of ours may stay behind it.
  if (Shim(f)->wal != nullptr) {
    int rc = Flush(Shim(f)->wal);
    if (rc != SQLITE_OK) return rc;
  }
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) {
  FlushOrAbort(Shim(f));
  Real(f)->pMethods->xShmBarrier(Real(f));
}
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), off, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

// ---- the WAL: gather writes, flush before anything else looks at the file ----

int WalWrite(sqlite3_file* file, const void* p, int n, sqlite3_int64 off) {
  ShimFile* f = Shim(file);
  g_frames_in.fetch_add(1, std::memory_order_relaxed);
  const size_t bytes = static_cast<size_t>(n);
  const bool follows = f->size > 0 && off == f->offset + static_cast<sqlite3_int64>(f->size);
  if (!follows || f->size + bytes > kBufferBytes) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
    if (bytes > kPieceBytes) {
      g_writes_out.fetch_add(1, std::memory_order_relaxed);
      return f->real->pMethods->xWrite(f->real, p, n, off);
    }
    f->offset = off;
  }
  if (int rc = Reserve(f, off + n); rc != SQLITE_OK) return rc;
  std::memcpy(f->buffer.get() + f->size, p, bytes);
  f->size += bytes;
  return SQLITE_OK;
}
int WalRead(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  if (int rc = Flush(Shim(f)); rc != SQLITE_OK) return rc;
  return Read(f, p, n, off);
}
int WalTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = Flush(Shim(f)); rc != SQLITE_OK) return rc;
  Shim(f)->reserved = 0;  // the chunk rounding of the new end is the real VFS's business
  return Truncate(f, size);
}
int WalSync(sqlite3_file* f, int flags) {
  if (int rc = Flush(Shim(f)); rc != SQLITE_OK) return rc;
  return Sync(f, flags);
}
int WalFileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = Flush(Shim(f)); rc != SQLITE_OK) return rc;
  return FileSize(f, size);
}
int WalFileControl(sqlite3_file* f, int op, void* arg) {
  if (int rc = Flush(Shim(f)); rc != SQLITE_OK) return rc;
  return FileControl(f, op, arg);
}

constexpr sqlite3_io_methods kMainMethods = {
    .iVersion = 3,
    .xClose = Close,
    .xRead = Read,
    .xWrite = Write,
    .xTruncate = Truncate,
    .xSync = Sync,
    .xFileSize = FileSize,
    .xLock = Lock,
    .xUnlock = Unlock,
    .xCheckReservedLock = CheckReservedLock,
    .xFileControl = FileControl,
    .xSectorSize = SectorSize,
    .xDeviceCharacteristics = DeviceCharacteristics,
    .xShmMap = ShmMap,
    .xShmLock = ShmLock,
    .xShmBarrier = ShmBarrier,
    .xShmUnmap = ShmUnmap,
    .xFetch = Fetch,
    .xUnfetch = Unfetch,
};

// The main file's methods, with the WAL's own where it gathers or flushes.
constexpr sqlite3_io_methods WalMethods() {
  sqlite3_io_methods m = kMainMethods;
  m.xRead = WalRead;
  m.xWrite = WalWrite;
  m.xTruncate = WalTruncate;
  m.xSync = WalSync;
  m.xFileSize = WalFileSize;
  m.xFileControl = WalFileControl;
  return m;
}
constexpr sqlite3_io_methods kWalMethods = WalMethods();

int Open(sqlite3_vfs* /*vfs*/, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  auto* f = new (file) ShimFile;
  f->base.pMethods = nullptr;  // until the real file is open (SQLite then skips xClose)
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) +
                                            (sizeof(ShimFile) + 7) / 8 * 8);
  int rc = g_real_vfs->xOpen(g_real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == nullptr) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~ShimFile();
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  f->base.pMethods = &kMainMethods;
  if ((flags & SQLITE_OPEN_WAL) != 0 && name != nullptr) {
    sqlite3_file* main = sqlite3_database_file_object(name);
    if (main != nullptr && main->pMethods == &kMainMethods) {
      int chunk = kChunkBytes;
      (void)f->real->pMethods->xFileControl(f->real, SQLITE_FCNTL_CHUNK_SIZE, &chunk);
      f->buffer = std::make_unique<char[]>(kBufferBytes);
      f->main = Shim(main);
      Shim(main)->wal = f;
      f->base.pMethods = &kWalMethods;
    }
  }
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real_vfs->xDelete(g_real_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real_vfs->xAccess(g_real_vfs, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real_vfs->xFullPathname(g_real_vfs, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real_vfs->xDlOpen(g_real_vfs, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_real_vfs->xDlError(g_real_vfs, n, out); }
void (*DlSym(sqlite3_vfs*, void* lib, const char* symbol))(void) {
  return g_real_vfs->xDlSym(g_real_vfs, lib, symbol);
}
void DlClose(sqlite3_vfs*, void* lib) { g_real_vfs->xDlClose(g_real_vfs, lib); }
int Randomness(sqlite3_vfs*, int n, char* out) {
  return g_real_vfs->xRandomness(g_real_vfs, n, out);
}
int Sleep(sqlite3_vfs*, int us) { return g_real_vfs->xSleep(g_real_vfs, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_real_vfs->xCurrentTime(g_real_vfs, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real_vfs->xGetLastError(g_real_vfs, n, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real_vfs->xCurrentTimeInt64(g_real_vfs, out);
}

sqlite3_vfs* Register() {
  sqlite3_initialize();
  g_real_vfs = sqlite3_vfs_find(nullptr);
  static sqlite3_vfs vfs = {};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>((sizeof(ShimFile) + 7) / 8 * 8) + g_real_vfs->szOsFile;
  vfs.mxPathname = g_real_vfs->mxPathname;
  vfs.zName = kVfsName;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
  return &vfs;
}

}  // namespace

const char* WalGatheringVfs() {
  static sqlite3_vfs* vfs = Register();
  return vfs->zName;
}

WalGatheringStats GetWalGatheringStats() {
  return {g_frames_in.load(std::memory_order_relaxed),
          g_writes_out.load(std::memory_order_relaxed)};
}

}  // namespace fz::store
