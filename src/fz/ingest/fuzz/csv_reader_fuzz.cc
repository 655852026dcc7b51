// Feeds arbitrary bytes to the event file readers as a file body: as CSV (with the type from a
// file name, and without), and as JSONL. Checks the readers' accounting: every row is either
// an event or quarantined, with a known reason code, and every event has its required header.
// A violated invariant traps, so libFuzzer keeps the input.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fz/ingest/event_reader.h"

namespace {

using fz::ingest::EventFormat;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "csv_reader_fuzz: invariant violated: %s\n", what);
  __builtin_trap();
}

bool KnownReason(const std::string& code) {
  static const char* const kCodes[] = {"bad_json",      "bad_csv",
                                       "missing_field", "bad_timestamp",
                                       "bad_phone",     "bad_account",
                                       "bad_amount",    "bad_domain",
                                       "bad_url",       "bad_ip",
                                       "bad_id_no",     "bad_duration",
                                       "unknown_type",  "unknown_fraud_type",
                                       "bad_level",     "too_long"};
  for (const char* c : kCodes) {
    if (code == c) return true;
  }
  return false;
}

void ReadAs(std::string_view body, EventFormat format, std::optional<fz::model::EventType> type) {
  static const fz::model::FraudTypeRegistry kTypes = fz::model::FraudTypeRegistry::WithBuiltins();
  fz::ingest::ReadOptions options{.fraud_types = &kTypes, .batch_size = 7};
  fz::ingest::Quarantine quarantine;
  int64_t delivered = 0;
  fz::StatusOr<fz::ingest::FileStats> stats = fz::ingest::ReadEventBuffer(
      body, format, type, "fuzz", options, quarantine, [&](std::vector<fz::model::Event>& batch) {
        Check(!batch.empty() && batch.size() <= 7, "batch size");
        for (const auto& e : batch) {
          Check(!e.header.id.value().empty(), "event has an id");
        }
        delivered += static_cast<int64_t>(batch.size());
      });
  if (!stats.ok()) {
    Check(format == EventFormat::kCsv, "only a CSV header can fail a whole buffer");
    return;
  }
  Check(stats->events == delivered, "events counted as delivered");
  Check(stats->rows == stats->events + stats->quarantined, "rows = events + quarantined");
  Check(quarantine.total() == stats->quarantined, "quarantine total");
  Check(stats->bytes == static_cast<int64_t>(body.size()), "all bytes read");
  for (const auto& [code, count] : quarantine.CountsByReason()) {
    Check(KnownReason(code) && count > 0, "known reason code");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  ReadAs(body, EventFormat::kCsv, fz::model::EventType::kCall);
  ReadAs(body, EventFormat::kCsv, std::nullopt);
  ReadAs(body, EventFormat::kJsonl, std::nullopt);
  return 0;
}
