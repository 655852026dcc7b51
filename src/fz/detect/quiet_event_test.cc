#include "fz/detect/quiet_event.h"

#include <cstdlib>
#include <map>
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

// Random values per field for one trial, the same on every read (the folded and the original
// program read fields in different orders); quiet values for what QuietValue knows, and for
// the screened field only values that satisfy the screen.
class ConsistentQuietSource : public ValueSource {
 public:
  ConsistentQuietSource(uint32_t seed, QuietSubject subject, const QuietScreen& screen)
      : rng_(seed), subject_(subject), screen_(screen) {}
  void NextTrial() { values_.clear(); }
  Value Get(const Node& node, std::string_view arg) override {
    if (std::optional<Value> v = QuietValue(node, subject_)) return *v;
    const std::string key = std::to_string(static_cast<int>(node.field)) + "/" +
                            std::to_string(static_cast<int>(node.intel_part)) + "/" +
                            std::to_string(node.arg) + "/" + std::string(arg) + "/" +
                            std::to_string(absl::ToInt64Seconds(node.within));
    auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    static const char* const kStrings[] = {"", "install", "top", "service", "icbc-login.top"};
    static const double kNumbers[] = {-1, 0, 1, 3, 60, 119, 120, 121, 300, 599, 600, 900, 1e6};
    Value v = RandomValue(rng_, kNumbers, kStrings);
    if (node.field == screen_.field) {
      do {
        v = Value::Number(kNumbers[rng_() % std::size(kNumbers)]);
      } while (!CompareValues(screen_.op, v, Value::Number(screen_.value)).Truthy());
    }
    return values_.emplace(key, v).first->second;
  }

 private:
  std::mt19937 rng_;
  QuietSubject subject_;
  QuietScreen screen_;
  std::map<std::string, Value> values_;
};

TEST(QuietFold, DefaultRulesFoldedEqualTheirProgramsOnQuietEvents) {
  StatusOr<RuleSet> rules = LoadDefaultRules();
  ASSERT_TRUE(rules.ok()) << rules.status();
  int folded_smaller = 0;
  uint32_t seed = 0;
  for (const QuietSubject subject : {QuietSubject::kNoState, QuietSubject::kAnyState}) {
    for (const Rule& rule : rules->rules()) {
      const std::optional<NecessaryComparison> c = NecessaryComparisonOf(rule.condition);
      const Program folded = FoldForQuietEvent(rule.condition, subject, c);
      ASSERT_EQ(folded.empty(), rule.condition.empty()) << rule.id;  // empty: true
      folded_smaller += folded.nodes().size() < rule.condition.nodes().size() ? 1 : 0;
      const QuietScreen screen = c ? ScreenOf(rule.condition, *c) : QuietScreen{};
      ConsistentQuietSource source(++seed, subject, screen);
      int true_count = 0;
      for (int i = 0; i < 3000; ++i) {
        source.NextTrial();
        const bool want = rule.condition.Evaluate(source);
        ASSERT_EQ(folded.Evaluate(source), want) << rule.id << " trial " << i;
        true_count += want ? 1 : 0;
      }
      // A rule quiet events cannot fire folds to false.
      if (FalseOnQuietEvent(rule.condition, subject)) {
        EXPECT_EQ(true_count, 0) << rule.id;
      }
    }
  }
  EXPECT_GE(folded_smaller, 30);
}

TEST(QuietFold, FoldsKnownFieldsAndWhatTheyDecide) {
  const auto folded_size = [](std::string_view text, QuietSubject subject,
                              uint32_t mask = kCallMask) -> int {
    StatusOr<Program> p = Compile(text, mask);
    EXPECT_TRUE(p.ok()) << text << ": " << p.status();
    if (!p.ok()) return -1;
    return static_cast<int>(
        FoldForQuietEvent(*p, subject, NecessaryComparisonOf(*p)).nodes().size());
  };
  // The screen and `!intel.caller` go: caller.spoofed is left.
  EXPECT_EQ(
      folded_size("duration_s >= 120 && caller.spoofed && !intel.caller", QuietSubject::kNoState),
      1);
  // Known false: one constant.
  EXPECT_EQ(folded_size("intel.caller && caller.spoofed", QuietSubject::kAnyState), 1);
  // score is known only without state.
  EXPECT_EQ(folded_size("score > 3 || caller.spoofed", QuietSubject::kNoState), 1);
  EXPECT_EQ(folded_size("score > 3 || caller.spoofed", QuietSubject::kAnyState), 5);
  // A side known false of `||` goes: the comparison of caller.kind is left.
  EXPECT_EQ(folded_size("sender.kind == \"service\" || text.weight > 1", QuietSubject::kNoState,
                        kSmsMask),
            3);
  // Not a truth context: the `&&` stays, its known side a constant.
  EXPECT_EQ(
      folded_size("(!intel.caller && caller.spoofed) == caller.valid", QuietSubject::kAnyState), 5);
}

TEST(QuietScreen, ReadsTheEventAsTheComparisonWould) {
  const auto holds = [](std::string_view text, int duration) {
    StatusOr<Program> p = Compile(text, kCallMask);
    EXPECT_TRUE(p.ok()) << text;
    const std::optional<NecessaryComparison> c = NecessaryComparisonOf(*p);
    EXPECT_TRUE(c.has_value()) << text;
    model::Event e;
    model::CallEvent call;
    call.duration_s = duration;
    e.body = call;
    return ScreenHolds(ScreenOf(*p, *c), e);
  };
  for (const int d : {0, 119, 120, 121, 600}) {
    EXPECT_EQ(holds("duration_s >= 120 && caller.spoofed", d), d >= 120) << d;
    EXPECT_EQ(holds("120 >= duration_s && caller.spoofed", d), 120 >= d) << d;
    EXPECT_EQ(holds("120 < duration_s && caller.spoofed", d), 120 < d) << d;
    EXPECT_EQ(holds("duration_s < 120 && caller.spoofed", d), d < 120) << d;
    EXPECT_EQ(holds("120 != duration_s && caller.spoofed", d), d != 120) << d;
    EXPECT_EQ(holds("duration_s == 120 && caller.spoofed", d), d == 120) << d;
  }
  // Not a call: no duration, a comparison with null is false.
  StatusOr<Program> p = Compile("duration_s < 120 && caller.spoofed", kCallMask);
  ASSERT_TRUE(p.ok());
  model::Event sms;
  sms.body = model::SmsEvent{};
  EXPECT_FALSE(ScreenHolds(ScreenOf(*p, *NecessaryComparisonOf(*p)), sms));
}

}  // namespace
}  // namespace fz::detect
