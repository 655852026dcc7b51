// The step both row readers end with once a row's fields are in a RawRecord: build the event
// into the sink, or quarantine the row. Internal to fz/ingest.
//
// When reading for a detector shard (ReadOptions::shard), a row is first routed
// (EventBuilder::Route): a row of another shard only moves the file's merge order on (its
// time) and is passed over; a row without a usable subject goes to shard 0, where Build
// rejects it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fz/ingest/batch_sink.h"
#include "fz/ingest/event_fields.h"

namespace fz::ingest::internal {

// `line` and `text` say where the row came from, for the quarantine. `routed`: the reader
// already found the row to be this shard's (the CSV fast path).
void BuildRow(const RawRecord& record, std::optional<model::EventType> default_type,
              EventBuilder& builder, BatchSink& sink, int64_t line, std::string_view text,
              bool routed = false);

}  // namespace fz::ingest::internal
