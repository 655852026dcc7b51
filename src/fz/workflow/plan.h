// Dissuasion plans (劝阻方案): ordered steps by level and fraud type, and the rule that picks
// the next step from the results so far (docs/workflow.md "Dissuasion plans").
//
//   std::vector<StepKind> plan = config.PlanFor(level, fraud_type);
//   NextStep next = DecideNextStep(plan, history, config.plans.ai_call_attempts);
//   if (next.kind) ...;  if (next.upgrade_to_red) ...;
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fz::workflow {

enum class StepKind : uint8_t { kAiCall, kSms, kOfficerCall, kVisit, kStopPayment, kFollowUp };
inline constexpr int kStepKindCount = 6;

std::string_view StepKindName(StepKind kind);    // "ai_call"
std::string_view StepKindNameZh(StepKind kind);  // "AI语音外呼"
std::optional<StepKind> ParseStepKind(std::string_view name);

enum class StepResult : uint8_t {
  kReached,             // the person was reached and warned
  kNoAnswer,            // call not answered / nobody at home (暂时找不到)
  kRefused,             // reached but would not listen
  kAlreadyTransferred,  // money already moved: upgrade to red, stop-payment and visit
  kNotFound,            // 确实找不到
  kWrongPerson,         // 不符 / 重复预警
  kDone,                // a step without a person in it (SMS sent, stop-payment filed)
  kFailed,              // the channel failed (SMS gateway error, bank refused)
};
inline constexpr int kStepResultCount = 8;

std::string_view StepResultName(StepResult result);
std::optional<StepResult> ParseStepResult(std::string_view name);

// One step already carried out.
struct StepRecord {
  StepKind kind = StepKind::kAiCall;
  StepResult result = StepResult::kDone;
};

struct NextStep {
  std::optional<StepKind> kind;  // nullopt: the plan is finished
  bool upgrade_to_red = false;   // an "already transferred" result was seen
  std::string reason;            // why this step, for the officer ("AI外呼两次未接通")
};

// Decides what to do next. `plan` is the configured step list; `history` the steps done so
// far in order. `ai_call_attempts`: unanswered AI calls before an officer takes over.
NextStep DecideNextStep(const std::vector<StepKind>& plan, const std::vector<StepRecord>& history,
                        int ai_call_attempts);

// True when a step with this result counts as a face-to-face visit done (见面).
bool IsVisitDone(const StepRecord& step);

}  // namespace fz::workflow
