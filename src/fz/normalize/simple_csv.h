// A small RFC 4180 reader for the embedded reference tables (divisions, bank BINs) and the
// units file. Not the ingest hot path: that has its own splitter in fz/ingest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"

namespace fz::normalize {

// Splits one CSV record (no line terminator) into fields, removing quotes and un-doubling "".
// Fails on an unterminated quote or stray text after a closing quote.
StatusOr<std::vector<std::string>> SplitCsvRecord(std::string_view line);

// Calls `row(line_no, fields)` for each non-empty line after the header. `line_no` is 1-based
// counting the header. Errors are prefixed with "<source>:<line>: ". Stops at the first error
// returned by `row`.
template <typename RowFn>
Status ForEachCsvRow(std::string_view text, std::string_view source, RowFn&& row);

}  // namespace fz::normalize

#include "fz/normalize/simple_csv_inl.h"
