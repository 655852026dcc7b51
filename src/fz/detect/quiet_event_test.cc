#include "fz/detect/quiet_event.h"

#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "fz/detect/rule_set.h"
#include "gtest/gtest.h"

namespace fz::detect {
namespace {

constexpr uint32_t kCallMask = 1u << static_cast<unsigned>(model::EventType::kCall);
constexpr uint32_t kSmsMask = 1u << static_cast<unsigned>(model::EventType::kSms);

StatusOr<Program> Compile(std::string_view text, uint32_t mask) {
  FieldUse use;
  absl::Duration longest = absl::ZeroDuration();
  const RuleResolver resolve = [](std::string_view) { return std::vector<int32_t>{0}; };
  return CompileExpression(text, mask, resolve, &use, &longest);
}

bool QuietFalse(std::string_view text, uint32_t mask = kCallMask,
                QuietSubject subject = QuietSubject::kNoState) {
  StatusOr<Program> p = Compile(text, mask);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  return p.ok() && FalseOnQuietEvent(*p, subject);
}

bool QuietFalseWithState(std::string_view text) {
  return QuietFalse(text, kCallMask, QuietSubject::kAnyState);
}

TEST(QuietEvent, RulesThatNeedAHitOrStateAreFalse) {
  EXPECT_TRUE(QuietFalse("intel.caller"));
  EXPECT_TRUE(QuietFalse("duration_s >= 300 && intel.caller.confidence >= 0.6"));
  EXPECT_TRUE(QuietFalse("intel.caller.fraud_type == \"task_rebate\""));
  EXPECT_TRUE(QuietFalse("caller.spoofed && (seen(\"call.a\", within=\"72h\") || score > 10)"));
  EXPECT_TRUE(QuietFalse("distinct(intel.caller, within=\"24h\") >= 3"));
  EXPECT_TRUE(QuietFalse("count(type=\"call\", hit=true, within=\"1h\") >= 1"));
  EXPECT_TRUE(QuietFalse("!(intel.sender || !intel.sms_url) || text.weight >= 3", kSmsMask));
}

TEST(QuietEvent, RulesThatMayFireWithoutAHitAreNot) {
  EXPECT_FALSE(FalseOnQuietEvent(Program(), QuietSubject::kNoState));  // no condition: true
  EXPECT_FALSE(QuietFalse("duration_s >= 600 && caller.international && !intel.caller"));
  EXPECT_FALSE(QuietFalse("!seen(\"call.a\", within=\"1h\")"));
  // count() of all events counts the quiet event itself.
  EXPECT_FALSE(QuietFalse("count(within=\"1h\") >= 1"));
  EXPECT_FALSE(QuietFalse("intel.caller.source != \"x\" || duration_s > 5"));
  EXPECT_FALSE(QuietFalse("caller.kind == \"service\""));
  EXPECT_FALSE(QuietFalse("score == 0"));
}

TEST(QuietEvent, WithStateOnlyIntelAndTextAreKnown) {
  EXPECT_TRUE(QuietFalseWithState("duration_s >= 300 && intel.caller.confidence >= 0.6"));
  EXPECT_TRUE(QuietFalseWithState("intel.caller && seen(\"call.a\", within=\"72h\")"));
  EXPECT_FALSE(QuietFalseWithState("caller.spoofed && seen(\"call.a\", within=\"72h\")"));
  EXPECT_FALSE(QuietFalseWithState("score > 10"));
  EXPECT_FALSE(QuietFalseWithState("distinct(intel.caller, within=\"24h\") >= 3"));
  EXPECT_FALSE(QuietFalseWithState("count(type=\"call\", hit=true, within=\"1h\") >= 1"));
}

// Soundness against the real evaluator: a rule said false on quiet events must be false for
// any values of the fields the analysis does not know.
// Null, a boolean, one of `numbers` or one of `strings`, at random.
Value RandomValue(std::mt19937& rng, std::span<const double> numbers,
                  std::span<const char* const> strings) {
  switch (rng() % 4) {
    case 0:
      return Value::Null();
    case 1:
      return Value::Bool(rng() % 2 == 0);
    case 2:
      return Value::Number(numbers[rng() % numbers.size()]);
    default:
      return Value::String(strings[rng() % strings.size()]);
  }
}

class RandomQuietSource : public ValueSource {
 public:
  RandomQuietSource(uint32_t seed, QuietSubject subject) : rng_(seed), subject_(subject) {}
  Value Get(const Node& node, std::string_view) override {
    if (std::optional<Value> v = QuietValue(node, subject_)) return *v;
    static const char* const kStrings[] = {
        "", "install", "top", "service", "com.zoom.meeting", "icbc-login.top", "+85512345678"};
    static const double kNumbers[] = {0, 1, 3, 60, 120, 300, 600, 900, 1000, 1e6};
    return RandomValue(rng_, kNumbers, kStrings);
  }

 private:
  std::mt19937 rng_;
  QuietSubject subject_;
};

// The shipped rules/default.toml of the source tree (CTest sets FZ_SOURCE_DIR).
StatusOr<RuleSet> LoadDefaultRules() {
  const char* dir = std::getenv("FZ_SOURCE_DIR");
  if (dir == nullptr) return absl::FailedPreconditionError("FZ_SOURCE_DIR is not set");
  return RuleSet::LoadFile(std::string(dir) + "/rules/default.toml",
                           model::FraudTypeRegistry::WithBuiltins());
}

TEST(QuietEvent, DefaultRulesSaidFalseAreFalseForAnyOtherFieldValues) {
  StatusOr<RuleSet> rules = LoadDefaultRules();
  ASSERT_TRUE(rules.ok()) << rules.status();
  int quiet_false = 0;
  int quiet_state_false = 0;
  for (const QuietSubject subject : {QuietSubject::kNoState, QuietSubject::kAnyState}) {
    for (const Rule& rule : rules->rules()) {
      if (!FalseOnQuietEvent(rule.condition, subject)) continue;
      ++(subject == QuietSubject::kNoState ? quiet_false : quiet_state_false);
      RandomQuietSource source(static_cast<uint32_t>(quiet_false + quiet_state_false), subject);
      for (int i = 0; i < 2000; ++i) {
        ASSERT_FALSE(rule.condition.Evaluate(source)) << rule.id;
      }
    }
  }
  // Most default rules need a hit or state (intel, text, seen()); a few do not. With state,
  // only those that need an intel or text hit are skipped.
  EXPECT_GE(quiet_false, 15);
  EXPECT_LT(quiet_false, static_cast<int>(rules->rules().size()));
  EXPECT_GE(quiet_state_false, 8);
  EXPECT_LT(quiet_state_false, quiet_false);
}

// The text of the necessary comparison NecessaryComparisonOf finds, "" when none.
std::string NecessaryOf(std::string_view text, uint32_t mask = kCallMask) {
  StatusOr<Program> p = Compile(text, mask);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  if (!p.ok()) return "?";
  const std::optional<NecessaryComparison> c = NecessaryComparisonOf(*p);
  if (!c) return "";
  const std::vector<Node>& nodes = p->nodes();
  const Node& node = nodes[static_cast<size_t>(c->node)];
  const auto side = [&](int32_t i) {
    const Node& x = nodes[static_cast<size_t>(i)];
    return x.op == Op::kConst ? std::to_string(static_cast<int>(x.constant.number))
                              : std::to_string(static_cast<int>(x.field));
  };
  return side(node.lhs) + " " + std::to_string(static_cast<int>(node.op)) + " " + side(node.rhs);
}

TEST(NecessaryComparison, FirstNumberComparisonOfTheTopLevelConjunction) {
  const std::string duration = std::to_string(static_cast<int>(Field::kDurationS));
  const std::string ge = std::to_string(static_cast<int>(Op::kGe));
  const std::string lt = std::to_string(static_cast<int>(Op::kLt));
  EXPECT_EQ(NecessaryOf("duration_s >= 600 && caller.international && !intel.caller"),
            duration + " " + ge + " 600");
  EXPECT_EQ(NecessaryOf("caller.spoofed && (intel.caller && 120 < duration_s)"),
            "120 " + lt + " " + duration);
  EXPECT_EQ(NecessaryOf("duration_s >= 600 || caller.spoofed"), "");
  EXPECT_EQ(NecessaryOf("!(duration_s < 600) && caller.spoofed"), "");
  EXPECT_EQ(NecessaryOf("duration_s >= count(within=\"1h\")"), "");  // not a constant
  EXPECT_EQ(NecessaryOf("intel.caller.confidence >= 0.6"), "");      // not an event number
  EXPECT_EQ(NecessaryOf("caller.spoofed"), "");
  EXPECT_FALSE(NecessaryComparisonOf(Program()).has_value());
}

// A random source for every field, except that the necessary comparison's field only takes
// values (and null) that make the comparison false.
class ComparisonFalseSource : public ValueSource {
 public:
  ComparisonFalseSource(uint32_t seed, const Program& program, const NecessaryComparison& c)
      : rng_(seed), program_(program), c_(c) {}
  Value Get(const Node& node, std::string_view) override {
    static const double kNumbers[] = {-1, 0, 1, 3, 60, 119, 120, 121, 300, 599, 600, 900, 1e6};
    const Node& cmp = program_.nodes()[static_cast<size_t>(c_.node)];
    const Node& lhs = program_.nodes()[static_cast<size_t>(cmp.lhs)];
    const Node& rhs = program_.nodes()[static_cast<size_t>(cmp.rhs)];
    const Node& field = lhs.op == Op::kField ? lhs : rhs;
    if (node.field == field.field) {
      for (;;) {
        const Value v =
            rng_() % 5 == 0 ? Value::Null() : Value::Number(kNumbers[rng_() % std::size(kNumbers)]);
        const Value l = lhs.op == Op::kField ? v : lhs.constant;
        const Value r = rhs.op == Op::kField ? v : rhs.constant;
        if (!CompareValues(cmp.op, l, r).Truthy()) return v;
      }
    }
    static const char* const kStrings[] = {"service", "install"};
    return RandomValue(rng_, kNumbers, kStrings);
  }

 private:
  std::mt19937 rng_;
  const Program& program_;
  NecessaryComparison c_;
};

TEST(NecessaryComparison, DefaultRulesAreFalseWheneverTheComparisonIsFalse) {
  StatusOr<RuleSet> rules = LoadDefaultRules();
  ASSERT_TRUE(rules.ok()) << rules.status();
  int screened = 0;
  for (const Rule& rule : rules->rules()) {
    const std::optional<NecessaryComparison> c = NecessaryComparisonOf(rule.condition);
    if (!c) continue;
    ++screened;
    ComparisonFalseSource source(static_cast<uint32_t>(screened), rule.condition, *c);
    for (int i = 0; i < 2000; ++i) ASSERT_FALSE(rule.condition.Evaluate(source)) << rule.id;
  }
  // The call rules on duration_s and the transfer rules on amount.
  EXPECT_GE(screened, 8);
}

}  // namespace
}  // namespace fz::detect
