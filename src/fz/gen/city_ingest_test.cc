// Every generated event line must read cleanly through fz/ingest: nothing quarantined, plain
// and zstd alike. Built only when the ingest library is part of the build.
#include <filesystem>
#include <map>

#include "fz/gen/city_generator.h"
#include "fz/ingest/event_reader.h"
#include "fz/model/fraud_type.h"
#include "gtest/gtest.h"

namespace fz::gen {
namespace {

namespace fs = std::filesystem;

void ExpectCityReadsCleanly(bool zstd) {
  const fs::path dir =
      fs::temp_directory_path() / (zstd ? "fz_gen_ingest_zst" : "fz_gen_ingest_plain");
  fs::remove_all(dir);
  GenOptions options{.people = 2000,
                     .days = 2,
                     .seed = 3,
                     .out_dir = dir.string(),
                     .zstd = zstd,
                     .victim_rate = 0.005};
  StatusOr<GenSummary> summary = GenerateCity(options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  ingest::ReadOptions read{.fraud_types = &types};
  ingest::Quarantine quarantine;
  int64_t rows = 0, events = 0;
  std::map<model::EventType, int64_t> by_type;
  for (const auto& entry : fs::directory_iterator(dir / "events")) {
    StatusOr<ingest::FileStats> stats = ingest::ReadEventFile(
        entry.path().string(), read, quarantine, [&](std::vector<model::Event>& batch) {
          for (const model::Event& e : batch) ++by_type[e.header.type];
        });
    ASSERT_TRUE(stats.ok()) << entry.path() << ": " << stats.status();
    rows += stats->rows;
    events += stats->events;
  }
  for (const auto& [reason, n] : quarantine.CountsByReason()) {
    ADD_FAILURE() << n << " rows quarantined: " << reason;
  }
  EXPECT_EQ(quarantine.total(), 0);
  EXPECT_EQ(rows, summary->events + summary->duplicates);
  EXPECT_EQ(events, rows);
  for (int t = 0; t < kEventTypes; ++t) {
    const auto type = static_cast<model::EventType>(t);
    EXPECT_EQ(by_type[type] >= summary->events_by_type[static_cast<size_t>(t)], true)
        << model::EventTypeName(type);
  }
}

TEST(CityIngestTest, PlainJsonlReadsWithoutQuarantine) { ExpectCityReadsCleanly(false); }
TEST(CityIngestTest, ZstdJsonlReadsWithoutQuarantine) { ExpectCityReadsCleanly(true); }

}  // namespace
}  // namespace fz::gen
