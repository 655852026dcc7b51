// Events/s of the file readers on an in-memory buffer of call and SMS events (CSV and JSONL),
// next to a `wc -l`-like baseline over the same bytes (memchr newline count): the floor any
// reader has to pay to touch the data once.
//
//   build/release/bench/ingest_benchmark --benchmark_counters_tabular=true
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/event_reader.h"

namespace fz::ingest {
namespace {

constexpr int kEvents = 200000;

std::string Mobile(std::mt19937_64& rng) {
  static const char* const kPrefixes[] = {"138", "139", "135", "150", "187", "199", "177", "133"};
  return fz::StrCat(kPrefixes[rng() % 8], 10000000 + rng() % 90000000);
}

std::string Caller(std::mt19937_64& rng) {
  switch (rng() % 10) {
    case 0:  // international fraud lines: a gang reuses a pool of numbers
      return fz::StrCat("+855", 17650000 + rng() % 2000);
    case 1:
      return fz::StrCat("0951", 5000000 + 10000 + rng() % 900000);
    default:
      return Mobile(rng);
  }
}

std::string Timestamp(int i, bool epoch) {
  int64_t ms = 1795656600000 + int64_t{i} * 37;
  if (epoch) return std::to_string(ms);
  int64_t s = (ms / 1000) % 86400;
  return fz::StrCat("2026-11-26T", s / 36000, (s / 3600) % 10, ":", (s % 3600) / 600,
                    (s % 600) / 60, ":", (s % 60) / 10, s % 10, "+08:00");
}

// Half calls, half SMS; the type comes from a column.
std::string MakeCsv(int n) {
  std::mt19937_64 rng(1);
  std::string out = "id,type,ts,caller,callee,duration_s,cell_id,sender,receiver,text\n";
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0) {
      fz::StrAppend(&out, "cmcc-", i, ",call,", Timestamp(i, i % 4 == 0), ",", Caller(rng), ",",
                    Mobile(rng), ",", rng() % 600, ",46000-9510-", rng() % 65536, ",,,\n");
    } else {
      fz::StrAppend(&out, "sms-", i, ",sms,", Timestamp(i, false), ",,,,,10690",
                    10000 + rng() % 90000, ",", Mobile(rng),
                    ",【平台】您的佣金待领取，请回复确认\n");
    }
  }
  return out;
}

std::string MakeJsonl(int n) {
  std::mt19937_64 rng(1);
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0) {
      fz::StrAppend(&out, R"({"id":"cmcc-)", i, R"(","type":"call","ts":")", Timestamp(i, false),
                    R"(","caller":")", Caller(rng), R"(","callee":")", Mobile(rng),
                    R"(","duration_s":)", rng() % 600, R"(,"cell_id":"46000-9510-)", rng() % 65536,
                    "\"}\n");
    } else {
      fz::StrAppend(&out, R"({"id":"sms-)", i, R"(","type":"sms","ts":)", Timestamp(i, true),
                    R"(,"sender":"10690)", 10000 + rng() % 90000, R"(","receiver":")", Mobile(rng),
                    R"(","text":"【平台】您的佣金待领取，请回复确认"})", "\n");
    }
  }
  return out;
}

void BM_Read(benchmark::State& state, EventFormat format) {
  static const std::string csv = MakeCsv(kEvents);
  static const std::string jsonl = MakeJsonl(kEvents);
  const std::string& body = format == EventFormat::kCsv ? csv : jsonl;
  model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
  ReadOptions options{.fraud_types = &types};
  // Warm the phone normalizer's prefix caches (a cold prefix runs libphonenumber, ~50 us):
  // a long-running detector has them warm.
  {
    Quarantine warm;
    (void)ReadEventBuffer(body, format, std::nullopt, "warm", options, warm,
                          [](std::vector<model::Event>&) {});
  }
  int64_t events = 0;
  for (auto _ : state) {
    Quarantine quarantine;
    StatusOr<FileStats> stats =
        ReadEventBuffer(body, format, std::nullopt, "bench", options, quarantine,
                        [&](std::vector<model::Event>& batch) { events += batch.size(); });
    if (!stats.ok() || stats->quarantined != 0) state.SkipWithError("rows were quarantined");
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

void BM_CountLines(benchmark::State& state, EventFormat format) {
  static const std::string csv = MakeCsv(kEvents);
  static const std::string jsonl = MakeJsonl(kEvents);
  const std::string& body = format == EventFormat::kCsv ? csv : jsonl;
  int64_t lines = 0;
  for (auto _ : state) {
    const char* p = body.data();
    const char* end = p + body.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
      ++lines;
      ++p;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

BENCHMARK_CAPTURE(BM_Read, csv, EventFormat::kCsv)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Read, jsonl, EventFormat::kJsonl)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CountLines, csv, EventFormat::kCsv)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CountLines, jsonl, EventFormat::kJsonl)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fz::ingest

BENCHMARK_MAIN();
