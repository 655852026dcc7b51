// Emergency stop-payment requests (紧急止付, 银发〔2016〕86号): fields and status stages from
// DOMAIN.md, 48 h expiry, at most two stops per account (docs/workflow.md "Stop-payment").
//
//   FZ_RETURN_IF_ERROR(CheckNewStop(request, stops_already_on_account, config.stop_payment));
//   request.stop_end = StopEnd(*request.stop_start, config.stop_payment);
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/model/event.h"
#include "fz/model/ids.h"
#include "fz/workflow/workflow_config.h"

namespace fz::workflow {

enum class StopStage : uint8_t { kInitial, kLanded, kProcessing, kReturned, kFeedback };
enum class StopResult : uint8_t { kInitial, kFailed, kSucceeded, kTimedOut, kInProgress };

std::string_view StopStageName(StopStage stage);  // "initial", "landed", ...
std::optional<StopStage> ParseStopStage(std::string_view name);
std::string_view StopResultName(StopResult result);  // "initial", "failed", "succeeded", ...
std::optional<StopResult> ParseStopResult(std::string_view name);

struct StopPaymentRequest {
  model::StopPaymentId id;          // assigned by the store
  std::string request_no;           // idempotency key, unique
  std::string original_request_no;  // for a release (解止) of an earlier stop
  model::WarningId warning;         // 0 when linked to a case only
  model::CaseId case_id;            // 0 when none
  model::UnitCode unit;             // requesting unit
  std::string from_bank;
  std::string from_name;
  std::string from_account;
  std::string currency = "CNY";
  model::Money amount_requested;
  absl::Time transfer_time = absl::UnixEpoch();
  std::string stop_bank;
  std::string stop_account_name;
  std::string stop_account;       // the account to stop: "at most two stops" counts on this
  std::string stop_account_type;  // "bank_card", "third_party"
  absl::Time requested_at = absl::UnixEpoch();
  absl::Time feedback_deadline = absl::UnixEpoch();
  std::optional<absl::Time> stop_start;
  std::optional<absl::Time> stop_end;  // stop_start + 48 h
  StopStage stage = StopStage::kInitial;
  StopResult result = StopResult::kInitial;
  std::string error_code;
  model::Money balance;
  model::Money amount_stopped;
};

// Validates a new request: required fields, a positive amount, and the per-account limit given
// how many non-failed stops the account already has. FailedPrecondition on the limit.
Status CheckNewStop(const StopPaymentRequest& request, int64_t stops_on_account,
                    const StopPaymentConfig& config);

absl::Time StopEnd(absl::Time stop_start, const StopPaymentConfig& config);

// A succeeded stop past its end (and not followed by freezing) has lapsed.
bool StopExpired(const StopPaymentRequest& request, absl::Time now);

}  // namespace fz::workflow
