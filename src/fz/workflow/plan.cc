#include "fz/workflow/plan.h"

#include <algorithm>
#include <array>

namespace fz::workflow {
namespace {

constexpr std::array<std::string_view, kStepKindCount> kStepNames = {
    "ai_call", "sms", "officer_call", "visit", "stop_payment", "follow_up"};
constexpr std::array<std::string_view, kStepKindCount> kStepNamesZh = {
    "AI语音外呼", "短信提醒", "民警电话劝阻", "上门见面", "紧急止付", "回访"};
constexpr std::array<std::string_view, kStepResultCount> kResultNames = {
    "reached",   "no_answer",    "refused", "already_transferred",
    "not_found", "wrong_person", "done",    "failed"};

int Count(const std::vector<StepRecord>& history, StepKind kind, StepResult result) {
  return static_cast<int>(std::count_if(history.begin(), history.end(), [&](const StepRecord& s) {
    return s.kind == kind && s.result == result;
  }));
}

// A step is complete once it had any result other than "no answer" or a channel failure.
bool Completed(const std::vector<StepRecord>& history, StepKind kind) {
  return std::any_of(history.begin(), history.end(), [&](const StepRecord& s) {
    return s.kind == kind && s.result != StepResult::kNoAnswer && s.result != StepResult::kFailed;
  });
}

bool Attempted(const std::vector<StepRecord>& history, StepKind kind) {
  return std::any_of(history.begin(), history.end(),
                     [&](const StepRecord& s) { return s.kind == kind; });
}

NextStep Step(StepKind kind, std::string reason, bool upgrade = false) {
  return NextStep{.kind = kind, .upgrade_to_red = upgrade, .reason = std::move(reason)};
}

}  // namespace

std::string_view StepKindName(StepKind kind) { return kStepNames[static_cast<size_t>(kind)]; }
std::string_view StepKindNameZh(StepKind kind) { return kStepNamesZh[static_cast<size_t>(kind)]; }

std::optional<StepKind> ParseStepKind(std::string_view name) {
  for (size_t i = 0; i < kStepNames.size(); ++i) {
    if (kStepNames[i] == name) return static_cast<StepKind>(i);
  }
  return std::nullopt;
}

std::string_view StepResultName(StepResult result) {
  return kResultNames[static_cast<size_t>(result)];
}

std::optional<StepResult> ParseStepResult(std::string_view name) {
  for (size_t i = 0; i < kResultNames.size(); ++i) {
    if (kResultNames[i] == name) return static_cast<StepResult>(i);
  }
  return std::nullopt;
}

bool IsVisitDone(const StepRecord& step) {
  return step.kind == StepKind::kVisit && step.result != StepResult::kNoAnswer &&
         step.result != StepResult::kFailed && step.result != StepResult::kNotFound;
}

NextStep DecideNextStep(const std::vector<StepKind>& plan, const std::vector<StepRecord>& history,
                        int ai_call_attempts) {
  // A person who cannot be identified ends the plan: the officer records the outcome.
  for (const StepRecord& s : history) {
    if (s.result == StepResult::kNotFound || s.result == StepResult::kWrongPerson) return {};
  }
  // Money already moved: stop it first, then meet the person, whatever the plan said.
  bool transferred = std::any_of(history.begin(), history.end(), [](const StepRecord& s) {
    return s.result == StepResult::kAlreadyTransferred;
  });
  if (transferred) {
    if (!Completed(history, StepKind::kStopPayment)) {
      return Step(StepKind::kStopPayment, "已转账：立即紧急止付", true);
    }
    if (!Completed(history, StepKind::kVisit)) {
      return Step(StepKind::kVisit, "已转账：上门见面核查", true);
    }
  }
  // Two unanswered AI calls: an officer phones.
  if (Count(history, StepKind::kAiCall, StepResult::kNoAnswer) >= ai_call_attempts &&
      !Completed(history, StepKind::kOfficerCall) &&
      Count(history, StepKind::kOfficerCall, StepResult::kNoAnswer) == 0) {
    return Step(StepKind::kOfficerCall, "AI外呼多次未接通，转民警电话");
  }
  // The phone failed: go to the door.
  if (Count(history, StepKind::kOfficerCall, StepResult::kNoAnswer) > 0 &&
      !Completed(history, StepKind::kVisit) &&
      Count(history, StepKind::kVisit, StepResult::kNotFound) == 0) {
    return Step(StepKind::kVisit, "电话无法联系，上门见面");
  }
  for (StepKind kind : plan) {
    if (Completed(history, kind)) continue;
    if (kind == StepKind::kAiCall &&
        Count(history, StepKind::kAiCall, StepResult::kNoAnswer) >= ai_call_attempts) {
      continue;  // handed to the officer above
    }
    // The SMS and the AI call only matter while nobody has reached the person.
    bool reached =
        Completed(history, StepKind::kOfficerCall) || Completed(history, StepKind::kVisit);
    if ((kind == StepKind::kAiCall || kind == StepKind::kSms) && reached) continue;
    // Stop-payment only when money moved; the transfer rule above handles that case.
    if (kind == StepKind::kStopPayment && !transferred) continue;
    // The follow-up is scheduled by the dissuaded outcome, not done as a step right away.
    if (kind == StepKind::kFollowUp) continue;
    std::string reason(Attempted(history, kind) ? "重试：" : "按方案：");
    reason += StepKindNameZh(kind);
    return Step(kind, std::move(reason));
  }
  return {};
}

}  // namespace fz::workflow
