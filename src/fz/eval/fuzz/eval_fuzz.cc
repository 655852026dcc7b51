// Fuzzes the truth and warning readers and the evaluation over whatever they accept: any
// bytes must give a report or counted bad lines, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fz/eval/evaluation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<fz::eval::Truth> truth = fz::eval::ParseTruth(text, "fuzz");
  fz::StatusOr<fz::eval::Warnings> warnings = fz::eval::ParseWarnings(text, "fuzz");
  if (truth.ok() && warnings.ok()) {
    for (auto level : {fz::model::WarningLevel::kYellow, fz::model::WarningLevel::kRed}) {
      fz::eval::EvalReport report =
          fz::eval::Evaluate(*truth, *warnings, fz::eval::EvalOptions{.min_level = level});
      (void)fz::eval::FormatReport(report);
      (void)fz::eval::ReportJson(report);
    }
  }
  (void)fz::eval::ParseEvalTime(text);
  return 0;
}
