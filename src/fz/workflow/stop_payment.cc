#include "fz/workflow/stop_payment.h"

#include <array>

#include "fz/common/str_cat.h"

namespace fz::workflow {
namespace {

constexpr std::array<std::string_view, 5> kStages = {"initial", "landed", "processing", "returned",
                                                     "feedback"};
constexpr std::array<std::string_view, 5> kResults = {"initial", "failed", "succeeded", "timed_out",
                                                      "in_progress"};

template <typename E, size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view StopStageName(StopStage stage) { return kStages[static_cast<size_t>(stage)]; }
std::optional<StopStage> ParseStopStage(std::string_view name) {
  return ParseName<StopStage>(kStages, name);
}
std::string_view StopResultName(StopResult result) { return kResults[static_cast<size_t>(result)]; }
std::optional<StopResult> ParseStopResult(std::string_view name) {
  return ParseName<StopResult>(kResults, name);
}

Status CheckNewStop(const StopPaymentRequest& request, int64_t stops_on_account,
                    const StopPaymentConfig& config) {
  auto missing = [&](std::string_view field) {
    return absl::InvalidArgumentError(
        StrCat("stop-payment ", request.request_no, ": ", field, " is required"));
  };
  if (request.request_no.empty()) return missing("request_no");
  if (request.stop_account.empty()) return missing("stop_account");
  if (request.stop_bank.empty()) return missing("stop_bank");
  if (request.warning.value() == 0 && request.case_id.value() == 0) {
    return missing("warning or case");
  }
  if (request.amount_requested.fen <= 0) {
    return absl::InvalidArgumentError(
        StrCat("stop-payment ", request.request_no, ": amount_requested must be positive"));
  }
  if (stops_on_account >= config.max_per_account) {
    return absl::FailedPreconditionError(StrCat("stop-payment ", request.request_no,
                                                ": account already stopped ", stops_on_account,
                                                " times (at most ", config.max_per_account, ")"));
  }
  return absl::OkStatus();
}

absl::Time StopEnd(absl::Time stop_start, const StopPaymentConfig& config) {
  return stop_start + config.duration;
}

bool StopExpired(const StopPaymentRequest& request, absl::Time now) {
  return request.result == StopResult::kSucceeded && request.stop_end.has_value() &&
         now >= *request.stop_end;
}

}  // namespace fz::workflow
