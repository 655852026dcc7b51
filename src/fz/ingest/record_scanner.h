// Splits a decoded byte stream into records: JSONL lines, or CSV records (which may span lines
// inside quoted fields). Tracks physical line numbers, strips a UTF-8 BOM at the start and the
// '\r' of CRLF, and caps a record at kMaxRecordBytes so that one garbage line cannot make the
// reader buffer a whole file.
//
//   RecordScanner scanner(source, /*csv_quotes=*/true);
//   ScannedRecord rec;
//   while (true) {
//     FZ_ASSIGN_OR_RETURN(bool more, scanner.Next(&rec));
//     if (!more) break;
//     ... rec.text is valid until the next call to Next() ...
//   }
//
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fz/common/status.h"
#include "fz/ingest/csv_frame.h"
#include "fz/ingest/decompress.h"

namespace fz::ingest {

inline constexpr size_t kMaxRecordBytes = 64 * 1024;

struct ScannedRecord {
  std::string_view text;  // without the line terminator; empty for a blank line
  int64_t line = 0;       // 1-based physical line where the record starts
  int lines = 1;          // physical lines it spans (> 1 for CSV quoted newlines)
  // The record exceeded kMaxRecordBytes: `text` is its first kMaxRecordBytes bytes and the
  // rest of its line was skipped.
  bool too_long = false;
  // CSV: the record's commas (offsets into `text`, then at[count] == text.size()), found
  // while framing it; null when the record holds a '"', is not whole in the buffer (its
  // input's last line or one at a buffer boundary) or has more than LineCommas::kMaxStored
  // commas: then the reader splits `text` itself.
  const internal::LineCommas* commas = nullptr;
};

class RecordScanner {
 public:
  // With `csv_quotes`, a newline inside a double-quoted field does not end the record (as long
  // as the quote closes within kMaxRecordBytes and before the end of input).
  // `chunk_bytes` is how much is read at a time (a small input needs no 1 MiB buffer).
  RecordScanner(ByteSource* source, bool csv_quotes, size_t chunk_bytes = kDefaultChunkBytes);

  static constexpr size_t kDefaultChunkBytes = 1 << 20;

  // The next record; false at the end of input.
  StatusOr<bool> Next(ScannedRecord* out) {
    // Inline, so that the row reader's loop frames a plain CSV line without a call of its own.
    if (fast_ && NextCsvLine(out)) [[likely]]
      return true;
    return NextRecord(out);
  }

  // Re-reads the last multi-line record as single lines: call when it turned out not to be a
  // well-formed quoted record, so that only its first line is lost and the following lines are
  // read on their own. The next Next() returns the record's second line.
  void ResyncAfterFirstLine();

  int64_t bytes_read() const { return bytes_read_; }

  // Tests: frame CSV with `fn` instead of DefaultFrameLine() (nullptr: no comma offsets).
  void SetFrameLineForTesting(internal::FrameLineFn fn) {
    frame_ = fn;
    fast_ = false;
  }

 private:
  // The fast path of Next(): a CSV line without '"' whose '\n' is in the buffer, framed and
  // split in one pass; false (nothing consumed) for any other record.
  bool NextCsvLine(ScannedRecord* out) {
    const char* const start = buf_.get() + begin_;
    const size_t window = std::min(end_ - begin_, kMaxRecordBytes + 1);
    const size_t nl = frame_(start, window, &commas_);
    if (nl >= window) return false;  // a '"' first (kQuoteFirst), or no '\n' in the window
    const size_t text_len = nl > 0 && start[nl - 1] == '\r' ? nl - 1 : nl;
    const bool stored = commas_.count <= internal::LineCommas::kMaxStored;
    if (stored) commas_.at[commas_.count] = static_cast<uint32_t>(text_len);
    *out = ScannedRecord{.text = std::string_view(start, text_len),
                         .line = line_,
                         .commas = stored ? &commas_ : nullptr};
    last_begin_ = begin_;
    last_first_line_end_ = nl;
    last_line_ = line_;
    begin_ += nl + 1;  // nl < end_ - begin_
    ++line_;
    return true;
  }
  // Next() for any record (and the state that lets the next call take the fast path).
  StatusOr<bool> NextRecord(ScannedRecord* out);
  StatusOr<bool> NextGeneral(ScannedRecord* out);
  // Makes at least `want` bytes available from begin_ (fewer only at end of input).
  Status Fill(size_t want);
  // Offset (from begin_) of the next '\n' at or after `from`, reading more input as needed but
  // never looking past kMaxRecordBytes + 1 bytes; npos when none.
  StatusOr<size_t> FindNewline(size_t from);
  // Drops input up to and including the next '\n' (the rest of a too-long line).
  Status SkipRestOfLine();
  // Whether [from, to) (offsets from begin_) holds an odd number of '"'.
  bool OddQuotes(size_t from, size_t to) const;

  ByteSource* source_;
  bool csv_quotes_;
  internal::FrameLineFn frame_;  // null for JSONL
  // Next() may try NextCsvLine(): a CSV scanner past the start, with no line to skip.
  bool fast_ = false;
  std::unique_ptr<char[]> buf_;  // uninitialized: only [begin_, end_) is ever read
  size_t capacity_;
  size_t chunk_bytes_;
  size_t begin_ = 0;  // unread data is buf_[begin_, end_)
  size_t end_ = 0;
  bool eof_ = false;
  bool at_start_ = true;       // nothing read yet: a BOM may follow
  bool skip_pending_ = false;  // the last record was too long: skip the rest of its line
  int64_t line_ = 1;
  int64_t bytes_read_ = 0;
  // The last record, for ResyncAfterFirstLine.
  size_t last_begin_ = 0;
  size_t last_first_line_end_ = 0;
  int64_t last_line_ = 0;
  internal::LineCommas commas_;  // what the last record's `commas` points to (+ sentinel)
};

}  // namespace fz::ingest
