// CSV event files: header row -> field mapping, a memchr-based record splitter (quotes handled
// only when a record has one), and the row loop. Internal to fz/ingest; the entry point for
// users is ReadEventFile (event_reader.h) or EventFileReader (event_file_reader.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/ingest/batch_sink.h"
#include "fz/ingest/record_scanner.h"
#include "fz/ingest/row_reader.h"
#include "fz/model/event.h"

namespace fz::ingest {

// Splits one CSV record (RFC 4180; no line terminator) into `*fields`. Unquoted fields are
// views into `record`; quoted ones are unescaped into `*scratch` (cleared first), so the views
// are valid until the next call with the same scratch. Errors (without a reason code):
// unterminated quoted field, text after a closing quote, a quote inside an unquoted field.
Status SplitCsvRecord(std::string_view record, std::vector<std::string_view>* fields,
                      std::string* scratch);

// Reads CSV rows from `scanner` (not owned) one record at a time. `default_type` is the type
// from the file name. The first Step() fails for a header without a required column (or
// without `type` when the file name gives none); bad rows are quarantined through the sink.
std::unique_ptr<internal::RowReader> NewCsvRowReader(RecordScanner* scanner,
                                                     std::optional<model::EventType> default_type,
                                                     const ReadOptions& options);

}  // namespace fz::ingest
