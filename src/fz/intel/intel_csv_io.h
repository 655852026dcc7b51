// Reading intelligence and whitelist CSV files (intel_csv.cc): the file's bytes and records
// split into fields. Internal to fz/intel.
//
//   FZ_ASSIGN_OR_RETURN(const FileText file, FileText::Open(path, "intel"));
//   std::vector<std::string> storage;      // quoted records' unescaped fields
//   std::vector<std::string_view> fields;  // views into the line or into `storage`
//   FZ_RETURN_IF_ERROR(SplitRecord(line, storage, fields));
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"

namespace fz::intel::internal {

// One CSV record as views; quoted records go through normalize::SplitCsvRecord into
// `storage`. Bytes up to `readable_end` may be read past the line (nullptr: none), which lets
// the unquoted path compare 16 or 64 bytes at a time.
Status SplitRecord(std::string_view line, std::vector<std::string>& storage,
                   std::vector<std::string_view>& fields, const char* readable_end = nullptr);

// The whole file in a string (pipes and files still growing included). gzip and zstd files
// are an error that says to decompress them first.
StatusOr<std::string> ReadFile(const std::string& path, std::string_view what);

// The bytes of a file, mapped read-only when it is a regular file, else read (ReadFile).
// Mapping shares the page cache's pages: reading 66 MB of intelligence into a string zeroed
// and faulted in 16k fresh pages and copied every byte, ~40 ms before the first row could be
// parsed. The mapping lives only while the file loads (the store copies what it keeps); a
// file truncated in place during those moments would fault (SIGBUS), so feeds should replace
// files by rename, as they must anyway not to be read half-written.
class FileText {
 public:
  FileText() = default;
  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&&) = delete;
  ~FileText();

  // `what` names the file in errors ("intel", "whitelist").
  static StatusOr<FileText> Open(const std::string& path, std::string_view what);

  std::string_view text() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_)
                           : std::string_view(read_);
  }

 private:
  void* map_ = nullptr;
  size_t size_ = 0;
  std::string read_;
};

}  // namespace fz::intel::internal
