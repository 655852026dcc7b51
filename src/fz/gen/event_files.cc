#include "fz/gen/event_files.h"

#include <zstd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"

namespace fz::gen {

// A buffered output file, plain or zstd-compressed.
class LineFile {
 public:
  static StatusOr<std::unique_ptr<LineFile>> Open(const std::string& path, bool zstd) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return absl::UnavailableError(StrCat("cannot create ", path));
    auto file = std::unique_ptr<LineFile>(new LineFile(path, f));
    if (zstd) {
      file->cctx_ = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(file->cctx_, ZSTD_c_compressionLevel, 3);
    }
    return file;
  }

  ~LineFile() {
    if (cctx_ != nullptr) ZSTD_freeCCtx(cctx_);
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Append(std::string_view text) {
    buffer_.append(text);
    return buffer_.size() >= (1 << 20) ? Flush(false) : absl::OkStatus();
  }

  // Flushes and closes; returns the bytes on disk.
  StatusOr<int64_t> Close() {
    FZ_RETURN_IF_ERROR(Flush(true));
    const bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return absl::UnavailableError(StrCat("cannot write ", path_));
    return written_;
  }

 private:
  LineFile(std::string path, std::FILE* f) : path_(std::move(path)), file_(f) {}

  Status Write(const void* data, size_t size) {
    if (std::fwrite(data, 1, size, file_) != size) {
      return absl::UnavailableError(StrCat("cannot write ", path_));
    }
    written_ += static_cast<int64_t>(size);
    return absl::OkStatus();
  }

  Status Flush(bool end) {
    if (cctx_ == nullptr) {
      FZ_RETURN_IF_ERROR(Write(buffer_.data(), buffer_.size()));
      buffer_.clear();
      return absl::OkStatus();
    }
    std::string out(ZSTD_CStreamOutSize(), '\0');
    ZSTD_inBuffer in{buffer_.data(), buffer_.size(), 0};
    const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      ZSTD_outBuffer o{out.data(), out.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx_, &o, &in, mode);
      if (ZSTD_isError(left)) {
        return absl::InternalError(StrCat("zstd: ", ZSTD_getErrorName(left), " in ", path_));
      }
      FZ_RETURN_IF_ERROR(Write(out.data(), o.pos));
      if (end ? left == 0 : in.pos == in.size) break;
    }
    buffer_.clear();
    return absl::OkStatus();
  }

  std::string path_;
  std::FILE* file_;
  ZSTD_CCtx* cctx_ = nullptr;
  std::string buffer_;
  int64_t written_ = 0;
};

namespace {

constexpr std::array<std::string_view, kEventTypes> kIdPrefixes = {"cdr", "sms", "dns", "app",
                                                                   "txn", "zl",  "rpt"};

}  // namespace

EventFiles::EventFiles(std::string dir, bool zstd, double duplicate_rate, uint64_t seed)
    : dir_(std::move(dir)),
      zstd_(zstd),
      duplicate_rate_(duplicate_rate),
      rng_(Rng::ForStream(seed, 40)) {}

EventFiles::~EventFiles() = default;

Status EventFiles::CloseDay() {
  for (auto& file : open_) {
    if (file == nullptr) continue;
    FZ_ASSIGN_OR_RETURN(int64_t bytes, file->Close());
    bytes_ += bytes;
    file.reset();
  }
  seq_.fill(0);
  return absl::OkStatus();
}

Status EventFiles::WriteHour(int64_t hour_start, std::vector<PendingEvent>* chunk) {
  const std::string date = BeijingDate(hour_start);
  if (date != date_) {
    FZ_RETURN_IF_ERROR(CloseDay());
    date_ = date;
  }
  std::sort(chunk->begin(), chunk->end(), [](const PendingEvent& a, const PendingEvent& b) {
    if (a.type != b.type) return a.type < b.type;
    return b > a;
  });
  for (PendingEvent& e : *chunk) {
    const auto type = static_cast<size_t>(e.type);
    if (open_[type] == nullptr) {
      const std::string path = StrCat(dir_, "/", model::EventTypeName(e.type), "_", date_, ".jsonl",
                                      zstd_ ? ".zst" : "");
      FZ_ASSIGN_OR_RETURN(open_[type], LineFile::Open(path, zstd_));
      ++files_;
    }
    // {"id":"cdr-20261123-0000001", + the body without its "{"
    line_.assign("{\"id\":\"");
    line_.append(kIdPrefixes[type]);
    line_.push_back('-');
    line_.append(date_);
    line_.push_back('-');
    char seq[24];
    auto [end, ec] = std::to_chars(seq, seq + sizeof(seq), ++seq_[type]);
    line_.append(static_cast<size_t>(std::max<ptrdiff_t>(0, 7 - (end - seq))), '0');
    line_.append(seq, end);
    line_.append("\",");
    line_.append(std::string_view(e.body).substr(1));
    line_.push_back('\n');
    FZ_RETURN_IF_ERROR(open_[type]->Append(line_));
    ++events_[type];
    if (duplicate_rate_ > 0 && rng_.Chance(duplicate_rate_)) {
      FZ_RETURN_IF_ERROR(open_[type]->Append(line_));
      ++duplicates_;
    }
  }
  chunk->clear();
  return absl::OkStatus();
}

Status EventFiles::Close() { return CloseDay(); }

}  // namespace fz::gen
