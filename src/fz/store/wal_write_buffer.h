// A SQLite VFS that gathers the WAL writes of a commit into one write system call.
//
// SQLite writes each WAL frame with two pwrite calls (a 24-byte header, then the page), so a
// group commit of ~50 pages costs ~100 system calls on the writer thread; on this project's
// 2-core machine that was a fifth of the writer's time (perf, docs/benchmarks.md). A
// connection opened with WalGatheringVfs() keeps its WAL frames in a buffer while they arrive
// in file order and writes them in one call when SQLite is about to publish them:
//   - at the shared-memory barrier, which SQLite passes just before it writes the new WAL
//     index header (the moment readers can see the frames), and at every shared-memory lock
//     change (the end of a write transaction);
//   - before any read, sync, size, truncate or close of the WAL, and before a write that does
//     not follow the buffered bytes (SQLite rewriting a frame of the same transaction).
// So the WAL file holds the same bytes at every point SQLite or another connection could look
// at it, and a commit has reached the kernel (survives a process crash) before COMMIT returns.
//
// A write at the barrier cannot report an error (xShmBarrier returns nothing), so the space
// for buffered frames is reserved when they are buffered (SQLITE_FCNTL_SIZE_HINT, which
// allocates the file's blocks in 1 MiB chunks): ENOSPC is reported by the xWrite that
// buffers, as SQLite expects. A failure at the barrier after that (EIO) aborts the process
// rather than let readers see frames that are not in the file; the commit had not returned,
// and recovery on restart drops the unwritten frames by their checksums.
#pragma once

#include <cstdint>

namespace fz::store {

// The name of the VFS to pass to sqlite3_open_v2, registered (not as default) on first call.
// It wraps the default VFS; only the WAL files of connections opened with it are buffered.
const char* WalGatheringVfs();

// Process-wide counters, for tests and benchmarks.
struct WalGatheringStats {
  int64_t frames_in = 0;   // WAL writes SQLite made through the VFS
  int64_t writes_out = 0;  // write calls that reached the file system
};
WalGatheringStats GetWalGatheringStats();

}  // namespace fz::store
