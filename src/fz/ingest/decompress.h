// Byte sources for event files: plain, gzip (zlib) or zstd, decoded in chunks so that a file
// of any size is read in constant memory.
//
//   FZ_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> in, OpenByteSource("calls.csv.zst"));
//   char buf[1 << 16];
//   for (;;) { FZ_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf)); if (n == 0) break; }
//
// Concatenated gzip members and zstd frames are read as one stream (as `zcat` does). A
// truncated or corrupt stream is an error, never a silent early end. Not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "fz/common/status.h"

namespace fz::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` (> 0) decoded bytes into `buf`; returns 0 only at the end of input.
  virtual StatusOr<size_t> Read(char* buf, size_t size) = 0;
};

enum class Compression { kNone, kGzip, kZstd };

// From the file name ending: ".gz" -> gzip, ".zst" -> zstd, anything else -> none.
Compression CompressionFromName(std::string_view path);

// Opens `path` and decodes it according to its name. Errors name the file.
StatusOr<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// Decodes `data` (not owned; must outlive the source) with `compression`.
std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data, Compression compression);

}  // namespace fz::ingest
