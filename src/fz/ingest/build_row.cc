#include "fz/ingest/build_row.h"

#include <string>

namespace fz::ingest::internal {

void BuildRow(const RawRecord& record, std::optional<model::EventType> default_type,
              EventBuilder& builder, BatchSink& sink, int64_t line, std::string_view text,
              bool routed) {
  if (const std::optional<RowShard>& shard = sink.shard();
      !routed && shard.has_value() && shard->count > 1) {
    EventBuilder::RowRoute route = builder.Route(record, default_type);
    if (route.time.has_value()) sink.NoteTime(*route.time);
    const uint32_t owner =
        route.subject.has_value() ? shard->owner(*route.subject, shard->count) : 0;
    if (owner != shard->index) return;  // another shard builds (or quarantines) it
  }
  Status built = builder.Build(record, default_type, &sink.Start());
  if (built.ok()) {
    sink.Commit();
    return;
  }
  if (std::optional<absl::Time> time = EventBuilder::RowTime(record)) sink.NoteTime(*time);
  sink.Abort(line, std::string(built.message()), text);
}

}  // namespace fz::ingest::internal
