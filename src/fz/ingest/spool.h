// Spool-directory mode (`fanzha detect --spool DIR`): carriers drop one file per minute into
// DIR; each file is read exactly once, in name order, then moved to DIR/done/ (or, when the
// whole file is unreadable, to DIR/quarantine/ with a NAME.reason text file beside it).
//
//   FZ_ASSIGN_OR_RETURN(auto spool, SpoolDirectory::Open("/var/spool/fanzha", options, &q));
//   spool->Run(stop_token, absl::Seconds(5), [&](std::vector<model::Event>& b) { ... });
//
// Which files count: regular files directly in DIR whose name does not start with '.' and does
// not end in ".tmp" or ".part". A carrier writes "x.csv.tmp" (or ".x.csv") and renames it into
// place when complete; rename is atomic, so a file is never read half-written. A name that is
// not an event file name (see EventFormatFromName) goes to quarantine/ with its reason.
//
// Crash story. DIR/.spool-journal records, fsync'd before the next step:
//   1. "started NAME"      before the first event of NAME is delivered;
//   2. the events are delivered to the BatchFn, then SpoolOptions::before_commit runs (the
//      detector checkpoints its state there) and the row quarantine is flushed;
//   3. rename DIR/NAME -> DIR/done/NAME, and fsync of both directories: the COMMIT POINT;
//   4. "finished NAME".
// On restart every file still in DIR is read, so nothing is lost. A file that was started but
// not committed before a crash is read again from the start and its events are delivered a
// second time (at-least-once): downstream must be idempotent by event id (the detector keeps
// the ids it has seen; a re-delivered event id is ignored). Such files are counted in
// SpoolStats::redelivered_files and logged. Quarantined rows of such a file also appear twice
// in the quarantine file. A file whose name is already in done/ is stored there as NAME.1,
// NAME.2, ... (a carrier re-sending a file name is a new delivery, not a duplicate).
//
// A file that fails to decode part-way (corrupt gzip) has had its earlier events delivered
// before it moves to quarantine/.
//
// Thread safety: one SpoolDirectory per directory, used from one thread at a time; two
// processes must not share a DIR.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/ingest/event_reader.h"

namespace fz::ingest {

struct SpoolOptions {
  ReadOptions read;
  // Runs after a file's events were delivered and before the file is committed to done/.
  // An error leaves the file in DIR (it is read again on the next poll) and fails PollOnce.
  std::function<Status(const std::string& name, const FileStats& stats)> before_commit;
};

struct SpoolStats {
  int64_t done_files = 0;         // committed to done/
  int64_t quarantined_files = 0;  // moved to quarantine/
  int64_t redelivered_files = 0;  // started before a crash, read again from the start
  FileStats rows;                 // summed over the files read
};

class SpoolDirectory {
 public:
  // Creates DIR/done and DIR/quarantine if needed and reads the journal. `quarantine` (for
  // bad rows) must outlive the SpoolDirectory.
  static StatusOr<std::unique_ptr<SpoolDirectory>> Open(const std::string& dir,
                                                        SpoolOptions options,
                                                        Quarantine* quarantine);
  ~SpoolDirectory();

  // Reads every file ready now, in name order. Fails only on an I/O error of the spool
  // itself (journal, rename) or of before_commit; unreadable files go to quarantine/.
  StatusOr<SpoolStats> PollOnce(const BatchFn& on_batch);

  // PollOnce every `poll_interval` until `stop` is requested; returns the totals, or the first
  // error.
  StatusOr<SpoolStats> Run(std::stop_token stop, absl::Duration poll_interval,
                           const BatchFn& on_batch);

  // Names (in DIR) ready to be read, in order. For tests and status pages.
  StatusOr<std::vector<std::string>> ReadyFiles() const;

 private:
  SpoolDirectory(std::string dir, SpoolOptions options, Quarantine* quarantine);
  Status Recover();
  Status Journal(std::string_view verb, const std::string& name);
  Status ProcessFile(const std::string& name, const BatchFn& on_batch, SpoolStats* stats);
  Status MoveToQuarantine(const std::string& name, const Status& reason);

  std::string dir_;
  SpoolOptions options_;
  Quarantine* quarantine_;
  int journal_fd_ = -1;
  std::set<std::string> interrupted_;  // started, not finished, per the journal
};

}  // namespace fz::ingest
