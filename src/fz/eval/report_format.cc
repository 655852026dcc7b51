// FormatReport and ReportJson: the two faces of an EvalReport.
#include <cstdio>

#include "fz/common/str_cat.h"
#include "fz/eval/evaluation.h"
#include "nlohmann/json.hpp"

namespace fz::eval {
namespace {

std::string Percent(int64_t part, int64_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%5.1f%%",
                whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string Row(const char* format, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), format, args...);
  return buf;
}

nlohmann::json RecallJson(const RecallRow& row) {
  return {{"victims", row.victims},
          {"warned", row.warned},
          {"warned_before_loss", row.warned_before_loss},
          {"median_lead_minutes", row.median_lead_minutes}};
}

nlohmann::json PrecisionJson(const PrecisionRow& row) {
  return {{"warnings", row.warnings}, {"on_victims", row.on_victims}, {"precision", row.precision}};
}

}  // namespace

std::string FormatReport(const EvalReport& r) {
  std::string out = StrCat("warnings at level >= ", model::WarningLevelName(r.min_level), "\n");
  StrAppend(&out, "victims (loss in window): ", r.recall.victims, ", warned ", r.recall.warned,
            " (", Percent(r.recall.warned, r.recall.victims), "), before first loss ",
            r.recall.warned_before_loss, " (",
            Percent(r.recall.warned_before_loss, r.recall.victims), "), median lead ",
            Row("%.1f", r.recall.median_lead_minutes), " min\n");
  StrAppend(&out, "warnings: ", r.precision.warnings, ", on victims ", r.precision.on_victims,
            " -> precision ", Percent(r.precision.on_victims, r.precision.warnings),
            "; on targeted ", "non-victims ", r.warnings_on_targeted, ", on others ",
            r.warnings_on_others, "\n");
  if (r.pending_victims > 0) {
    StrAppend(&out,
              "victims whose first loss falls after the window (true if warned, not in "
              "recall): ",
              r.pending_victims, "\n");
  }
  StrAppend(&out, "\n",
            Row("%-24s %8s %8s %8s %8s %10s\n", "fraud type", "victims", "warned", "before",
                "share", "lead(min)"));
  for (const auto& [type, row] : r.by_fraud_type) {
    StrAppend(&out,
              Row("%-24s %8lld %8lld %8lld %8s %10.1f\n", type.c_str(),
                  static_cast<long long>(row.victims), static_cast<long long>(row.warned),
                  static_cast<long long>(row.warned_before_loss),
                  Percent(row.warned_before_loss, row.victims).c_str(), row.median_lead_minutes));
  }
  StrAppend(&out, "\n",
            Row("%-24s %8s %10s %10s\n", "by level / warning type", "warnings", "on victims",
                "precision"));
  for (const auto* table : {&r.by_level, &r.by_warning_type}) {
    for (const auto& [key, row] : *table) {
      StrAppend(&out,
                Row("%-24s %8lld %10lld %10s\n", key.c_str(), static_cast<long long>(row.warnings),
                    static_cast<long long>(row.on_victims),
                    Percent(row.on_victims, row.warnings).c_str()));
    }
  }
  if (r.bad_truth_lines + r.bad_warning_lines + r.warnings_below_min_level > 0) {
    StrAppend(&out, "\nskipped: ", r.bad_truth_lines, " bad truth lines, ", r.bad_warning_lines,
              " bad warning lines; ", r.warnings_below_min_level, " warnings below the level\n");
  }
  return out;
}

std::string ReportJson(const EvalReport& r) {
  nlohmann::json j = {
      {"min_level", std::string(model::WarningLevelName(r.min_level))},
      {"victims", r.recall.victims},
      {"victims_warned", r.recall.warned},
      {"victims_warned_before_loss", r.recall.warned_before_loss},
      {"share_warned", r.share_warned},
      {"share_warned_before_loss", r.share_before_loss},
      {"median_lead_minutes", r.recall.median_lead_minutes},
      {"pending_victims", r.pending_victims},
      {"warnings", r.precision.warnings},
      {"warnings_on_victims", r.precision.on_victims},
      {"precision", r.precision.precision},
      {"warnings_on_targeted", r.warnings_on_targeted},
      {"warnings_on_others", r.warnings_on_others},
      {"bad_truth_lines", r.bad_truth_lines},
      {"bad_warning_lines", r.bad_warning_lines},
      {"warnings_below_min_level", r.warnings_below_min_level},
  };
  for (const auto& [k, row] : r.by_fraud_type) j["by_fraud_type"][k] = RecallJson(row);
  for (const auto& [k, row] : r.by_level) j["by_level"][k] = PrecisionJson(row);
  for (const auto& [k, row] : r.by_warning_type) j["by_warning_type"][k] = PrecisionJson(row);
  return j.dump(2) + "\n";
}

}  // namespace fz::eval
