#include "fz/gen/city_generator.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"
#include "fz/gen/event_files.h"
#include "fz/units/units_file.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::gen {
namespace {

namespace fs = std::filesystem;

StatusOr<int64_t> ParseStart(const std::string& date) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || y < 2000 || y > 2100 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return absl::InvalidArgumentError(
        StrCat("--start: '", date, "' is not a date like 2026-11-23"));
  }
  return BeijingMidnight(y, m, d);
}

Status PrepareDirs(const std::string& out_dir) {
  std::error_code ec;
  fs::create_directories(fs::path(out_dir) / "events", ec);
  if (ec)
    return absl::UnavailableError(StrCat("cannot create ", out_dir, "/events: ", ec.message()));
  // Files of an earlier run with more days would otherwise mix with this run's.
  for (const auto& entry : fs::directory_iterator(fs::path(out_dir) / "events", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".jsonl") != std::string::npos && name.find('_') != std::string::npos) {
      fs::remove(entry.path(), ec);
    }
  }
  return absl::OkStatus();
}

StatusOr<int64_t> WriteUnits(const std::string& path) {
  FZ_ASSIGN_OR_RETURN(units::UnitTree tree, units::YinchuanSeed());
  const std::string csv = units::UnitsToCsv(tree);
  std::ofstream out(path, std::ios::binary);
  out << csv;
  if (!out) return absl::UnavailableError(StrCat("cannot write ", path));
  return static_cast<int64_t>(csv.size());
}

}  // namespace

StatusOr<GenSummary> GenerateCity(const GenOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (options.days < 1 || options.days > 366) {
    return absl::InvalidArgumentError("--days must be between 1 and 366");
  }
  if (options.out_dir.empty()) return absl::InvalidArgumentError("--out is required");
  FZ_ASSIGN_OR_RETURN(const int64_t start_s, ParseStart(options.start_date));
  const int64_t end_s = start_s + options.days * 86400LL;
  FZ_RETURN_IF_ERROR(PrepareDirs(options.out_dir));

  FZ_ASSIGN_OR_RETURN(const NumberPlan plan, NumberPlan::Probe(options.seed));
  FZ_ASSIGN_OR_RETURN(const Population city, Population::Build(plan, options.people, options.seed));
  const Underworld underworld = Underworld::Build(plan, city, options.seed);
  const World world{.plan = &plan,
                    .city = &city,
                    .underworld = &underworld,
                    .seed = options.seed,
                    .start_s = start_s,
                    .end_s = end_s,
                    .victim_rate = options.victim_rate};

  GenSummary summary;
  summary.people = static_cast<int64_t>(city.residents().size());
  summary.high_risk_base = static_cast<int64_t>(city.base().size());
  summary.yinchuan_prefixes = static_cast<int64_t>(plan.yinchuan_prefixes().size());
  const std::string dir = options.out_dir;
  FZ_ASSIGN_OR_RETURN(int64_t units_bytes, WriteUnits(dir + "/units.csv"));
  FZ_ASSIGN_OR_RETURN(int64_t people_bytes, city.WritePeopleCsv(dir + "/people.csv"));
  FZ_ASSIGN_OR_RETURN(summary.intel,
                      underworld.WriteIntelCsv(dir + "/intel.csv", dir + "/whitelist.csv", start_s,
                                               end_s, plan, city));

  const std::string truth_path = dir + "/truth.jsonl";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> truth_file(std::fopen(truth_path.c_str(), "wb"),
                                                             &std::fclose);
  if (truth_file == nullptr) return absl::UnavailableError(StrCat("cannot create ", truth_path));
  TruthWriter truth(truth_file.get());
  EventQueue queue(start_s, end_s);
  FraudPlanner planner(world, &queue, &truth);
  BackgroundTraffic background(world, options.rates);
  EventFiles files(dir + "/events", options.zstd, options.duplicate_rate, options.seed);
  std::vector<PendingEvent> chunk;
  for (int day = 0; day < options.days; ++day) {
    planner.PlanDay(day);
    for (int hour = 0; hour < 24; ++hour) {
      const int64_t hour_start = start_s + day * 86400LL + hour * 3600LL;
      background.Hour(day, hour, &queue, &chunk);
      queue.PopBefore(hour_start + 3600, &chunk);
      FZ_RETURN_IF_ERROR(files.WriteHour(hour_start, &chunk));
    }
  }
  FZ_RETURN_IF_ERROR(files.Close());
  if (std::fflush(truth_file.get()) != 0) {
    return absl::UnavailableError(StrCat("cannot write ", truth_path));
  }

  summary.fraud = planner.counts();
  summary.events_by_type = files.events_by_type();
  for (int64_t n : summary.events_by_type) summary.events += n;
  summary.duplicates = files.duplicates();
  summary.files = files.files() + 5;  // units, people, intel, whitelist, truth
  summary.bytes = files.bytes() + units_bytes + people_bytes + summary.intel.bytes + truth.bytes();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string GenSummary::ToText() const {
  std::string out =
      StrCat("people: ", people, " residents, ", high_risk_base, " in the high-risk base; ",
             yinchuan_prefixes, " Yinchuan mobile prefixes\n");
  int64_t victims = 0, losses = 0;
  for (int i = 0; i < kFraudTypes; ++i) {
    victims += fraud.victims[static_cast<size_t>(i)];
    losses += fraud.losses_in_window[static_cast<size_t>(i)];
  }
  StrAppend(&out, "victims: ", victims, " (", losses, " with a first loss in the window, total ",
            Yuan(fraud.total_loss_fen), " yuan)\n");
  for (int i = 0; i < kFraudTypes; ++i) {
    const auto f = static_cast<Fraud>(i + 1);
    char row[160];
    std::snprintf(row, sizeof(row), "  %-22s %6lld victims, %6lld with loss  ",
                  std::string(FraudCode(f)).c_str(),
                  static_cast<long long>(fraud.victims[static_cast<size_t>(i)]),
                  static_cast<long long>(fraud.losses_in_window[static_cast<size_t>(i)]));
    StrAppend(&out, row, FraudNameZh(f), "\n");
  }
  StrAppend(&out, "targeted, not engaged: ", fraud.targeted, " residents (SIM-box calls ",
            fraud.simbox_calls, ")\n");
  StrAppend(&out, "directives: ", fraud.directives, " on victims, ", fraud.false_directives,
            " on non-victims; reports: ", fraud.reports, "\n");
  StrAppend(&out, "intel: ", intel.rows, " rows; gang resources listed ", intel.gang_listed, "/",
            intel.gang_resources, " (", intel.listed_expired, " listed but expired, ",
            intel.listed_expiring, " expiring in the window); ", intel.stale, " stale, ",
            intel.false_entries, " false\n");
  StrAppend(&out, "events: ", events, " (");
  for (int t = 0; t < kEventTypes; ++t) {
    StrAppend(&out, t == 0 ? "" : ", ", model::EventTypeName(static_cast<model::EventType>(t)), " ",
              events_by_type[static_cast<size_t>(t)]);
  }
  StrAppend(&out, "), ", duplicates, " re-delivered duplicates\n");
  char tail[160];
  std::snprintf(tail, sizeof(tail), "files: %lld, %.1f MB, %.1f s (%.2f M events/s)\n",
                static_cast<long long>(files), static_cast<double>(bytes) / 1e6, seconds,
                seconds > 0 ? static_cast<double>(events) / seconds / 1e6 : 0.0);
  out += tail;
  return out;
}

}  // namespace fz::gen
