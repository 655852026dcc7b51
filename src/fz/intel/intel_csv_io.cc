// Reading intelligence CSV files: the file's bytes (mapped, or read) and records split into
// fields. Internal to fz/intel (intel_csv.cc).
#include "fz/intel/intel_csv_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "fz/common/str_cat.h"
#include "fz/normalize/simple_csv.h"

namespace fz::intel::internal {
namespace {

// 0x80 in each byte of `w` equal to the byte repeated in `pattern`, 0 elsewhere (exact: no
// false positives next to a match, unlike the shorter (w - 0x01..) & ~w form).
inline uint64_t BytesEqual(uint64_t w, uint64_t pattern) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t x = w ^ pattern;
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// An unquoted record split at its commas into `fields`; false (fields undefined) when the
// line holds a '"'. The loading threads split 1.24M rows, where a memchr call per field cost
// more than the search itself: 16 bytes at a time (SSE2) while the bytes up to
// `readable_end` (past the line: the rest of the block's text) allow, then 8, then one.
bool SplitPlainRecord(std::string_view line, const char* readable_end,
                      std::vector<std::string_view>& fields) {
  const char* const p = line.data();
  const size_t n = line.size();
  size_t start = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  if (n <= 64 && static_cast<size_t>(readable_end - p) >= 64) {
    // The common row: one 64-bit mask of its commas, the fields sized once and filled by
    // index (a push per field, with its capacity check, was a third of the split).
    uint64_t commas = 0;
    uint64_t quotes = 0;
    for (size_t c = 0; c < 64; c += 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + c));
      commas |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, comma)))}
                << c;
      quotes |= uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote)))}
                << c;
    }
    const uint64_t in_line = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
    if ((quotes & in_line) != 0) return false;
    commas &= in_line;
    fields.resize(static_cast<size_t>(std::popcount(commas)) + 1);
    std::string_view* out = fields.data();
    for (; commas != 0; commas &= commas - 1) {
      const auto at = static_cast<size_t>(std::countr_zero(commas));
      *out++ = std::string_view(p + start, at - start);
      start = at + 1;
    }
    *out = std::string_view(p + start, n - start);
    return true;
  }
  fields.clear();
  for (; i < n && static_cast<size_t>(readable_end - (p + i)) >= 16; i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const uint32_t in_line = n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1;
    if ((static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote))) & in_line) != 0) {
      return false;
    }
    for (uint32_t commas =
             static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, comma))) & in_line;
         commas != 0; commas &= commas - 1) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(commas));
      fields.emplace_back(p + start, at - start);
      start = at + 1;
    }
  }
  i = std::min(i, n);
#else
  (void)readable_end;
  fields.clear();
#endif
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (BytesEqual(w, 0x2222222222222222ULL) != 0) return false;  // '"'
      for (uint64_t commas = BytesEqual(w, 0x2C2C2C2C2C2C2C2CULL); commas != 0;
           commas &= commas - 1) {
        const size_t at = i + static_cast<size_t>(std::countr_zero(commas) >> 3);
        fields.emplace_back(p + start, at - start);
        start = at + 1;
      }
    }
  }
  for (; i < n; ++i) {
    if (p[i] == '"') return false;
    if (p[i] == ',') {
      fields.emplace_back(p + start, i - start);
      start = i + 1;
    }
  }
  fields.emplace_back(p + start, n - start);
  return true;
}

}  // namespace

// One CSV record as views; quoted records go through SplitCsvRecord into `storage`. Bytes
// up to `readable_end` may be read past the line (default: none).
Status SplitRecord(std::string_view line, std::vector<std::string>& storage,
                   std::vector<std::string_view>& fields, const char* readable_end) {
  if (SplitPlainRecord(line, readable_end != nullptr ? readable_end : line.data() + line.size(),
                       fields)) {
    return absl::OkStatus();
  }
  fields.clear();
  FZ_ASSIGN_OR_RETURN(storage, normalize::SplitCsvRecord(line));
  for (const std::string& f : storage) fields.emplace_back(f);
  return absl::OkStatus();
}

namespace {
Status CheckNotCompressed(std::string_view text, const std::string& path, std::string_view what) {
  if (text.size() >= 2 &&
      ((text[0] == '\x1f' && text[1] == '\x8b') || text.substr(0, 4) == "\x28\xB5\x2F\xFD")) {
    return absl::InvalidArgumentError(
        fz::StrCat(path, ": compressed ", what, " files are not supported; decompress first"));
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::string> ReadFile(const std::string& path, std::string_view what) {
  // One read into a string of the file's size: a stream copy costs as much as parsing a field.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::NotFoundError(
        fz::StrCat("cannot open ", what, " file '", path, "': ", std::strerror(errno)));
  }
  std::string text;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const long size = std::ftell(f);
    std::rewind(f);
    if (size > 0) {
      text.resize(static_cast<size_t>(size));
      text.resize(std::fread(text.data(), 1, text.size(), f));
    }
  }
  char buf[1 << 16];  // whatever the size did not cover (a pipe, a file still growing)
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    return absl::DataLossError(fz::StrCat("cannot read ", what, " file '", path, "'"));
  }
  FZ_RETURN_IF_ERROR(CheckNotCompressed(text, path, what));
  return text;
}

FileText::FileText(FileText&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      read_(std::move(other.read_)) {}

FileText::~FileText() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

StatusOr<FileText> FileText::Open(const std::string& path, std::string_view what) {
  FileText file;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        fz::StrCat("cannot open ", what, " file '", path, "': ", std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      ::madvise(p, size, MADV_WILLNEED);
      file.map_ = p;
      file.size_ = size;
    }
  }
  ::close(fd);
  if (file.map_ == nullptr) {
    FZ_ASSIGN_OR_RETURN(file.read_, ReadFile(path, what));
    return file;
  }
  FZ_RETURN_IF_ERROR(CheckNotCompressed(file.text(), path, what));
  return file;
}

}  // namespace fz::intel::internal
