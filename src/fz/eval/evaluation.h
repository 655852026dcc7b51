// Scoring warnings against ground truth (`fanzha eval`): how many victims were warned, how
// many before their first loss and with what lead time, and how many warnings were about
// people who were not victims (precision), by fraud type and by level.
//
//   FZ_ASSIGN_OR_RETURN(Truth truth, LoadTruth("city/truth.jsonl"));
//   FZ_ASSIGN_OR_RETURN(std::vector<WarningRecord> w, LoadWarnings("warnings.jsonl"));
//   EvalReport report = Evaluate(truth, w, EvalOptions{});
//   std::cout << FormatReport(report);
//
// Definitions (also in README.md):
//   victim         a truth line of kind "victim" whose first_loss_ts is set (a loss inside the
//                  generated window); victims whose loss falls after the window ("pending")
//                  are not counted for recall, but a warning about one is a true warning.
//   warned         some warning about the victim's subject reached the minimum level.
//   before loss    the time it reached that level (created_at, or the upgrade's "at") is
//                  strictly before first_loss_ts; lead time = first loss − that time.
//   precision      warnings about victims (incl. pending) / all warnings at the minimum level.
// Lines that cannot be read are counted and the first few reported, never silently dropped.
// Pure functions; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/model/warning_level.h"

namespace fz::eval {

struct TruthVictim {
  std::string fraud_type;
  bool loss_in_window = false;
  absl::Time first_loss = absl::InfiniteFuture();
};

struct Truth {
  std::unordered_map<std::string, TruthVictim> victims;   // by canonical subject
  std::unordered_map<std::string, std::string> targeted;  // subject -> fraud type
  int64_t bad_lines = 0;
  std::vector<std::string> errors;  // the first few, "FILE:LINE: reason"
};

struct WarningRecord {
  std::string subject;  // canonical
  std::string fraud_type;
  // The level over time: (created_at, initial level), then each upgrade (at, to).
  std::vector<std::pair<absl::Time, model::WarningLevel>> levels;
};

struct Warnings {
  std::vector<WarningRecord> records;
  int64_t bad_lines = 0;
  std::vector<std::string> errors;
};

StatusOr<Truth> ParseTruth(std::string_view jsonl, std::string_view source_name);
StatusOr<Truth> LoadTruth(const std::string& path);
StatusOr<Warnings> ParseWarnings(std::string_view jsonl, std::string_view source_name);
StatusOr<Warnings> LoadWarnings(const std::string& path);

// ISO 8601 with offset or "Z", or epoch milliseconds (digits).
StatusOr<absl::Time> ParseEvalTime(std::string_view text);

struct EvalOptions {
  model::WarningLevel min_level = model::WarningLevel::kYellow;
};

struct RecallRow {
  int64_t victims = 0;
  int64_t warned = 0;
  int64_t warned_before_loss = 0;
  double median_lead_minutes = 0;  // over victims warned before their loss
};

struct PrecisionRow {
  int64_t warnings = 0;
  int64_t on_victims = 0;
  double precision = 0;
};

struct EvalReport {
  model::WarningLevel min_level = model::WarningLevel::kYellow;
  RecallRow recall;
  int64_t pending_victims = 0;
  double share_warned = 0;
  double share_before_loss = 0;
  PrecisionRow precision;
  int64_t warnings_on_targeted = 0;  // warned residents the gangs contacted but did not defraud
  int64_t warnings_on_others = 0;
  std::map<std::string, RecallRow> by_fraud_type;       // the victim's true type
  std::map<std::string, PrecisionRow> by_level;         // the warning's final level
  std::map<std::string, PrecisionRow> by_warning_type;  // the warning's fraud type
  int64_t bad_truth_lines = 0;
  int64_t bad_warning_lines = 0;
  int64_t warnings_below_min_level = 0;
};

EvalReport Evaluate(const Truth& truth, const Warnings& warnings, const EvalOptions& options);

std::string FormatReport(const EvalReport& report);  // a readable table
std::string ReportJson(const EvalReport& report);    // one JSON object

}  // namespace fz::eval
