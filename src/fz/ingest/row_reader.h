// One row at a time out of a framed file body: the step that both the CSV and the JSONL
// readers implement, so that a file can be read a batch at a time (EventFileReader) instead
// of all at once. Internal to fz/ingest.
#pragma once

#include "fz/common/status.h"
#include "fz/ingest/batch_sink.h"

namespace fz::ingest::internal {

class RowReader {
 public:
  virtual ~RowReader() = default;
  // Reads the next record into `sink`: one event, one quarantined row, or nothing (a blank
  // line, the CSV header). False at the end of input. An error fails the file as a whole
  // (unreadable header, decoding error); rows read before it stay delivered.
  virtual StatusOr<bool> Step(BatchSink& sink) = 0;
};

}  // namespace fz::ingest::internal
