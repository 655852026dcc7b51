// RecordScanner: a CSV line without '"' is framed and split in one pass (csv_frame.h); other
// records by a one-pass newline + quote scan (byte_scan.h), memchr when a record runs past
// the buffered bytes, over a refillable buffer. Offsets are kept relative to begin_ while a
// record is being framed, because Fill() may move the unread bytes to the front of buf_.

#include "fz/ingest/record_scanner.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "fz/ingest/byte_scan.h"

namespace fz::ingest {
namespace {

constexpr size_t kNpos = std::string_view::npos;

}  // namespace

RecordScanner::RecordScanner(ByteSource* source, bool csv_quotes, size_t chunk_bytes)
    : source_(source),
      csv_quotes_(csv_quotes),
      frame_(csv_quotes ? internal::DefaultFrameLine() : nullptr),
      // Room for a whole capped record plus its terminator, whatever the chunk size.
      buf_(new char[chunk_bytes + kMaxRecordBytes + 16]),
      capacity_(chunk_bytes + kMaxRecordBytes + 16),
      chunk_bytes_(chunk_bytes) {}

Status RecordScanner::Fill(size_t want) {
  if (end_ - begin_ >= want || eof_) return absl::OkStatus();
  if (begin_ + want > capacity_ || end_ == capacity_) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (end_ - begin_ < want && !eof_) {
    FZ_ASSIGN_OR_RETURN(size_t n, source_->Read(buf_.get() + end_, capacity_ - end_));
    if (n == 0) eof_ = true;
    end_ += n;
    bytes_read_ += static_cast<int64_t>(n);
  }
  return absl::OkStatus();
}

StatusOr<size_t> RecordScanner::FindNewline(size_t from) {
  for (;;) {
    size_t avail = end_ - begin_;
    if (from < avail) {
      const char* start = buf_.get() + begin_ + from;
      const void* hit = std::memchr(start, '\n', avail - from);
      if (hit != nullptr) {
        size_t at = static_cast<const char*>(hit) - (buf_.get() + begin_);
        return at <= kMaxRecordBytes ? at : kNpos;
      }
    }
    if (eof_ || avail > kMaxRecordBytes) return kNpos;
    from = std::max(from, avail);
    FZ_RETURN_IF_ERROR(Fill(std::min(avail + chunk_bytes_, kMaxRecordBytes + 2)));
    if (end_ - begin_ == avail) return kNpos;  // end of input
  }
}

Status RecordScanner::SkipRestOfLine() {
  for (;;) {
    const char* start = buf_.get() + begin_;
    const void* hit = std::memchr(start, '\n', end_ - begin_);
    if (hit != nullptr) {
      begin_ = static_cast<const char*>(hit) - buf_.get() + 1;
      return absl::OkStatus();
    }
    begin_ = end_;
    if (eof_) return absl::OkStatus();
    FZ_RETURN_IF_ERROR(Fill(1));
  }
}

bool RecordScanner::OddQuotes(size_t from, size_t to) const {
  const char* p = buf_.get() + begin_ + from;
  const char* end = buf_.get() + begin_ + to;
  bool odd = false;
  while ((p = static_cast<const char*>(std::memchr(p, '"', end - p))) != nullptr) {
    odd = !odd;
    ++p;
  }
  return odd;
}

StatusOr<bool> RecordScanner::NextRecord(ScannedRecord* out) {
  StatusOr<bool> more = NextGeneral(out);
  fast_ = frame_ != nullptr && !skip_pending_ && !at_start_;
  return more;
}

StatusOr<bool> RecordScanner::NextGeneral(ScannedRecord* out) {
  if (skip_pending_) {
    skip_pending_ = false;
    FZ_RETURN_IF_ERROR(SkipRestOfLine());
  }
  FZ_RETURN_IF_ERROR(Fill(3));
  if (at_start_) {
    at_start_ = false;
    if (end_ - begin_ >= 3 && std::memcmp(buf_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) {
      begin_ += 3;
      // The first read may have ended right after the BOM.
      FZ_RETURN_IF_ERROR(Fill(1));
    }
  }
  if (begin_ == end_) return false;
  *out = ScannedRecord{.line = line_};
  // Nearly always the record's line is whole in the buffer: one pass finds its end and counts
  // its quotes. Otherwise FindNewline reads on (and OddQuotes counts below).
  size_t first_nl = kNpos;
  size_t quotes = 0;
  const size_t window = std::min(end_ - begin_, kMaxRecordBytes + 1);
  const size_t line_end = internal::FindLineEnd(buf_.get() + begin_, window, &quotes);
  const bool whole_line = line_end < window;
  if (whole_line) {
    first_nl = line_end;
  } else {
    FZ_ASSIGN_OR_RETURN(first_nl, FindNewline(0));
  }
  size_t avail = end_ - begin_;
  if (first_nl == kNpos && avail > kMaxRecordBytes) {
    out->text = std::string_view(buf_.get() + begin_, kMaxRecordBytes);
    out->too_long = true;
    skip_pending_ = true;  // after the caller is done with `text`
    ++line_;
    return true;
  }
  // The record's end (offset of its '\n', or of the end of input) and its physical lines.
  size_t first_end = first_nl == kNpos ? avail : first_nl;
  size_t rec_end = first_end;
  int lines = 1;
  if (csv_quotes_ && (whole_line ? (quotes & 1) != 0 : OddQuotes(0, first_end))) {
    bool open = true;
    size_t pos = first_end + 1;
    size_t end = first_end;
    int more = 0;
    while (open && first_nl != kNpos) {
      FZ_ASSIGN_OR_RETURN(size_t nl, FindNewline(pos));
      avail = end_ - begin_;
      size_t seg_end = nl;
      if (nl == kNpos) {
        if (!eof_ || avail > kMaxRecordBytes || pos > avail) break;
        seg_end = avail;  // the last line, without a terminator
      }
      if (OddQuotes(pos, seg_end)) open = false;
      ++more;
      end = seg_end;
      pos = seg_end + 1;
      if (nl == kNpos) break;
    }
    if (!open) {
      rec_end = end;
      lines += more;
    }
  }
  size_t text_len = rec_end;
  if (text_len > 0 && buf_[begin_ + text_len - 1] == '\r') --text_len;
  out->text = std::string_view(buf_.get() + begin_, text_len);
  out->lines = lines;
  last_begin_ = begin_;
  last_first_line_end_ = first_end;
  last_line_ = line_;
  begin_ = std::min(end_, begin_ + rec_end + 1);
  line_ += lines;
  return true;
}

void RecordScanner::ResyncAfterFirstLine() {
  begin_ = std::min(end_, last_begin_ + last_first_line_end_ + 1);
  line_ = last_line_ + 1;
}

}  // namespace fz::ingest
