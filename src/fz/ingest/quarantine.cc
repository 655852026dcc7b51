// Quarantine: counts rejected rows per reason code and appends them to a JSONL file.
//
// The file is written through stdio with a buffer and flushed when the Quarantine is
// destroyed, and also every kFlushEvery records so that a crash loses few of them. Each record
// is one JSON object: {"file","line","reason","raw"}; invalid UTF-8 in `raw` is replaced by
// U+FFFD so that the quarantine file is always valid JSONL.

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/event_reader.h"
#include "nlohmann/json.hpp"

namespace fz::ingest {
namespace {

constexpr int kFlushEvery = 256;
// A quarantined row keeps at most this much of its raw text (rows are capped at 64 KiB
// anyway; a too_long row keeps its beginning).
constexpr size_t kMaxRawBytes = 64 * 1024;

std::string ReasonCode(const std::string& reason) {
  size_t colon = reason.find(':');
  return colon == std::string::npos ? reason : reason.substr(0, colon);
}

}  // namespace

struct Quarantine::Impl {
  absl::Mutex mu;
  std::FILE* file ABSL_GUARDED_BY(mu) = nullptr;
  std::string path;
  Status status ABSL_GUARDED_BY(mu);
  int64_t total ABSL_GUARDED_BY(mu) = 0;
  int unflushed ABSL_GUARDED_BY(mu) = 0;
  std::map<std::string, int64_t> counts ABSL_GUARDED_BY(mu);

  void Write(const QuarantineRecord& record) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
};

void Quarantine::Impl::Write(const QuarantineRecord& record) {
  if (file == nullptr || !status.ok()) return;
  std::string line;
  try {
    nlohmann::json j = {
        {"file", record.file},
        {"line", record.line},
        {"reason", record.reason},
        {"raw",
         record.raw.size() > kMaxRawBytes ? record.raw.substr(0, kMaxRawBytes) : record.raw}};
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    status = absl::InternalError(fz::StrCat(path, ": cannot encode quarantine record: ", e.what()));
    return;
  }
  line.push_back('\n');
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() ||
      (++unflushed >= kFlushEvery && std::fflush(file) != 0)) {
    status = absl::DataLossError(fz::StrCat(path, ": cannot write quarantine file"));
  }
  if (unflushed >= kFlushEvery) unflushed = 0;
}

Quarantine::Quarantine() : impl_(std::make_unique<Impl>()) {}

Quarantine::Quarantine(const std::string& path) : impl_(std::make_unique<Impl>()) {
  absl::MutexLock lock(&impl_->mu);
  impl_->path = path;
  impl_->file = std::fopen(path.c_str(), "ae");
  if (impl_->file == nullptr) {
    impl_->status = absl::UnavailableError(fz::StrCat(path, ": cannot open quarantine file"));
  }
}

Quarantine::~Quarantine() {
  absl::MutexLock lock(&impl_->mu);
  if (impl_->file != nullptr) std::fclose(impl_->file);
}

Status Quarantine::status() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->status;
}

void Quarantine::Add(QuarantineRecord record) {
  std::string code = ReasonCode(record.reason);
  absl::MutexLock lock(&impl_->mu);
  ++impl_->total;
  ++impl_->counts[code];
  impl_->Write(record);
}

Status Quarantine::Flush() {
  absl::MutexLock lock(&impl_->mu);
  if (impl_->file != nullptr && std::fflush(impl_->file) != 0 && impl_->status.ok()) {
    impl_->status = absl::DataLossError(fz::StrCat(impl_->path, ": cannot write quarantine file"));
  }
  impl_->unflushed = 0;
  return impl_->status;
}

int64_t Quarantine::total() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->total;
}

std::map<std::string, int64_t> Quarantine::CountsByReason() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->counts;
}

}  // namespace fz::ingest
