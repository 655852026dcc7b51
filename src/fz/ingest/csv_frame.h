// One pass over a CSV line that finds both its end and its commas, 64 bytes at a time: the
// scanner frames the record and the row reader splits it from the comma offsets, so a byte of
// a CSV event file is classified once instead of twice. Internal to fz/ingest.
//
//   internal::LineCommas commas;
//   size_t end = internal::DefaultFrameLine()(p, n, &commas);
//   if (end == internal::kQuoteFirst) ... a '"' comes first: the quoted path ...
//   else ... the line is p[0, end) (end == n: no '\n'), commas.at[0, commas.count) ...
//
// Records with a '"' are left to the general path (rare in event files): only the framer's
// caller knows how quoted newlines join lines.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fz::ingest::internal {

// The commas of one line, as offsets from its first byte.
struct LineCommas {
  // Offsets stored at most; a line with more commas only gets them counted (and its reader
  // splits it the old way). Room for a 64-byte block past it lets the vector code store a
  // block's offsets without checking each one.
  static constexpr uint32_t kMaxStored = 128;
  uint32_t count = 0;  // commas before the line end
  uint32_t at[kMaxStored + 64];
};

// FrameLine's answer when a '"' comes before the first '\n'.
inline constexpr size_t kQuoteFirst = ~size_t{0};

// The offset of the first '\n' in [p, p + n) (n when none), with `commas` holding the commas
// before it; kQuoteFirst (commas unspecified) when a '"' comes first. Never reads outside
// [p, p + n).
using FrameLineFn = size_t (*)(const char* p, size_t n, LineCommas* commas);

// The definition: one byte at a time.
size_t FrameLineScalar(const char* p, size_t n, LineCommas* commas);
// 4 x 16 bytes with SSE2 (baseline x86-64); the scalar version elsewhere.
size_t FrameLineSse2(const char* p, size_t n, LineCommas* commas);
// 2 x 32 bytes with AVX2 (+ BMI1, POPCNT); only valid when HasAvx2Framer().
size_t FrameLineAvx2(const char* p, size_t n, LineCommas* commas);
bool HasAvx2Framer();

// What RecordScanner frames CSV with: AVX2 when the CPU has it, else SSE2. nullptr means the
// scanner's general path (a line-end scan, no commas), which is what it uses for JSONL.
FrameLineFn DefaultFrameLine();

// Tests: makes DefaultFrameLine() return `fn` (nullptr included) while alive, for scanners
// constructed meanwhile. Not thread-safe: create it before any reading starts.
class ScopedFrameLineForTesting {
 public:
  explicit ScopedFrameLineForTesting(FrameLineFn fn);
  ~ScopedFrameLineForTesting();
  ScopedFrameLineForTesting(const ScopedFrameLineForTesting&) = delete;
  ScopedFrameLineForTesting& operator=(const ScopedFrameLineForTesting&) = delete;

 private:
  bool was_overridden_;
  FrameLineFn previous_;
};

}  // namespace fz::ingest::internal
