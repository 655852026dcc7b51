// Test helpers for fz/ingest: a readable one-line rendering of an Event (to compare the CSV
// and JSONL paths field for field), temporary directories and compressed files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/model/event.h"

namespace fz::ingest::testing {

// "call id=.. ts=<unix ms> src=.. caller=.. callee=.. dur=.. cell=.. imei=..", every field.
std::string DescribeEvent(const model::Event& event);

// A fresh directory under TEST_TMPDIR (or /tmp), removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, std::string_view content);
std::string ReadFile(const std::string& path);
std::string Gzip(std::string_view data);
std::string Zstd(std::string_view data);

}  // namespace fz::ingest::testing
