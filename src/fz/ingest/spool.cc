// SpoolDirectory: journal + rename-as-commit. See spool.h for the crash story.

#include "fz/ingest/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

#include "fz/common/logging.h"
#include "fz/common/str_cat.h"

namespace fz::ingest {
namespace {

namespace fs = std::filesystem;

constexpr char kJournalName[] = ".spool-journal";

Status Errno(std::string_view what, const std::string& path) {
  return absl::UnavailableError(fz::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

Status FsyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : Errno("cannot fsync", path);
}

// Writes `content` to `path` durably: temp file, fsync, rename, fsync of the directory.
Status WriteFileDurably(const std::string& dir, const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Errno("cannot write", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename", tmp);
  return FsyncPath(dir);
}

bool IsCandidate(const std::string& name) {
  return !name.empty() && name[0] != '.' && !name.ends_with(".tmp") && !name.ends_with(".part");
}

// `dir/name`, or `dir/name.N` for the first N that does not exist yet.
std::string FreeName(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name;
  for (int n = 1; fs::exists(path); ++n) path = fz::StrCat(dir, "/", name, ".", n);
  return path;
}

void Accumulate(const FileStats& file, FileStats* total) {
  total->rows += file.rows;
  total->events += file.events;
  total->quarantined += file.quarantined;
  total->bytes += file.bytes;
}

}  // namespace

SpoolDirectory::SpoolDirectory(std::string dir, SpoolOptions options, Quarantine* quarantine)
    : dir_(std::move(dir)), options_(std::move(options)), quarantine_(quarantine) {}

SpoolDirectory::~SpoolDirectory() {
  if (journal_fd_ >= 0) ::close(journal_fd_);
}

StatusOr<std::unique_ptr<SpoolDirectory>> SpoolDirectory::Open(const std::string& dir,
                                                               SpoolOptions options,
                                                               Quarantine* quarantine) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(fz::StrCat(dir, ": spool directory does not exist"));
  }
  for (const char* sub : {"done", "quarantine"}) {
    fs::create_directories(fs::path(dir) / sub, ec);
    if (ec) return absl::UnavailableError(fz::StrCat(dir, "/", sub, ": ", ec.message()));
  }
  std::unique_ptr<SpoolDirectory> spool(new SpoolDirectory(dir, std::move(options), quarantine));
  FZ_RETURN_IF_ERROR(spool->Recover());
  return spool;
}

// Reads the journal, remembers the files that were started but not finished, and rewrites
// the journal to just those (so it does not grow without bound).
Status SpoolDirectory::Recover() {
  std::string path = dir_ + "/" + kJournalName;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t space = line.find(' ');
    if (space == std::string::npos) continue;  // a torn last line from a crash
    std::string verb = line.substr(0, space);
    std::string name = line.substr(space + 1);
    if (verb == "started") {
      interrupted_.insert(name);
    } else {
      interrupted_.erase(name);
    }
  }
  std::string compacted;
  for (const std::string& name : interrupted_) fz::StrAppend(&compacted, "started ", name, "\n");
  FZ_RETURN_IF_ERROR(WriteFileDurably(dir_, path, compacted));
  journal_fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (journal_fd_ < 0) return Errno("cannot open", path);
  return absl::OkStatus();
}

Status SpoolDirectory::Journal(std::string_view verb, const std::string& name) {
  std::string line = fz::StrCat(verb, " ", name, "\n");
  if (::write(journal_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fdatasync(journal_fd_) != 0) {
    return Errno("cannot write journal in", dir_);
  }
  return absl::OkStatus();
}

StatusOr<std::vector<std::string>> SpoolDirectory::ReadyFiles() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (IsCandidate(name) && it->is_regular_file(ec)) names.push_back(std::move(name));
  }
  if (ec) return absl::UnavailableError(fz::StrCat(dir_, ": cannot list: ", ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

Status SpoolDirectory::MoveToQuarantine(const std::string& name, const Status& reason) {
  std::string target = FreeName(dir_ + "/quarantine", name);
  absl::string_view message = reason.message();
  // The reason first: if we crash before the rename, the file is simply read again.
  FZ_RETURN_IF_ERROR(
      WriteFileDurably(dir_ + "/quarantine", target + ".reason", fz::StrCat(message, "\n")));
  std::string source = dir_ + "/" + name;
  if (::rename(source.c_str(), target.c_str()) != 0) return Errno("cannot move", source);
  FZ_RETURN_IF_ERROR(FsyncPath(dir_ + "/quarantine"));
  FZ_RETURN_IF_ERROR(FsyncPath(dir_));
  return Journal("quarantined", name);
}

Status SpoolDirectory::ProcessFile(const std::string& name, const BatchFn& on_batch,
                                   SpoolStats* stats) {
  if (interrupted_.erase(name) > 0) {
    ++stats->redelivered_files;
    Logger("ingest")->warn("spool: {} was started before a restart; reading it again", name);
  }
  FZ_RETURN_IF_ERROR(Journal("started", name));
  StatusOr<FileStats> read =
      ReadEventFile(dir_ + "/" + name, options_.read, *quarantine_, on_batch);
  if (!read.ok()) {
    Logger("ingest")->error("spool: {} is unreadable, moved to quarantine/: {}", name,
                            std::string(read.status().message()));
    FZ_RETURN_IF_ERROR(MoveToQuarantine(name, read.status()));
    ++stats->quarantined_files;
    return absl::OkStatus();
  }
  if (options_.before_commit) FZ_RETURN_IF_ERROR(options_.before_commit(name, *read));
  FZ_RETURN_IF_ERROR(quarantine_->Flush());
  std::string source = dir_ + "/" + name;
  std::string target = FreeName(dir_ + "/done", name);
  if (::rename(source.c_str(), target.c_str()) != 0) return Errno("cannot move", source);
  FZ_RETURN_IF_ERROR(FsyncPath(dir_ + "/done"));
  FZ_RETURN_IF_ERROR(FsyncPath(dir_));
  FZ_RETURN_IF_ERROR(Journal("finished", name));
  ++stats->done_files;
  Accumulate(*read, &stats->rows);
  return absl::OkStatus();
}

StatusOr<SpoolStats> SpoolDirectory::PollOnce(const BatchFn& on_batch) {
  SpoolStats stats;
  FZ_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadyFiles());
  for (const std::string& name : names) {
    FZ_RETURN_IF_ERROR(ProcessFile(name, on_batch, &stats));
  }
  return stats;
}

StatusOr<SpoolStats> SpoolDirectory::Run(std::stop_token stop, absl::Duration poll_interval,
                                         const BatchFn& on_batch) {
  SpoolStats total;
  std::mutex mu;
  std::condition_variable_any cv;
  while (!stop.stop_requested()) {
    FZ_ASSIGN_OR_RETURN(SpoolStats stats, PollOnce(on_batch));
    total.done_files += stats.done_files;
    total.quarantined_files += stats.quarantined_files;
    total.redelivered_files += stats.redelivered_files;
    Accumulate(stats.rows, &total.rows);
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, absl::ToChronoMilliseconds(poll_interval), [] { return false; });
  }
  return total;
}

}  // namespace fz::ingest
