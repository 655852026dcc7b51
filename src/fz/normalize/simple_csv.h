// A small RFC 4180 reader for the embedded reference tables (divisions, bank BINs) and the
// units file. Not the ingest hot path: that has its own splitter in fz/ingest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"

namespace fz::normalize {

// Splits one CSV record (no line terminator) into fields, removing quotes and un-doubling "".
// Fails on an unterminated quote or stray text after a closing quote.
StatusOr<std::vector<std::string>> SplitCsvRecord(std::string_view line);

// Removes the first line from `text` and returns it without its "\n" or "\r\n", counting it
// in `*line_no`. For files read line by line with their own rules for blank and comment lines.
inline std::string_view TakeLine(std::string_view& text, int64_t* line_no) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  ++*line_no;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Calls `row(line_no, fields)` for each non-empty line after the header. `line_no` is 1-based
// counting the header. Errors are prefixed with "<source>:<line>: ". Stops at the first error
// returned by `row`.
template <typename RowFn>
Status ForEachCsvRow(std::string_view text, std::string_view source, RowFn&& row);

}  // namespace fz::normalize

#include "fz/normalize/simple_csv_inl.h"
