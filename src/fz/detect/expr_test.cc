#include "fz/detect/expr.h"
#include "fz/model/event.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace fz::detect {
namespace {

constexpr uint32_t kCallMask = 1u << static_cast<unsigned>(model::EventType::kCall);
constexpr uint32_t kSmsMask = 1u << static_cast<unsigned>(model::EventType::kSms);

// A fake event: fixed field values, counts how often each field is read.
class FakeSource : public ValueSource {
 public:
  Value Get(const Node& node, std::string_view arg) override {
    ++reads;
    switch (node.field) {
      case Field::kDurationS:
        return Value::Number(duration);
      case Field::kIntelParty:
        return node.intel_part == IntelPart::kHit ? Value::Bool(intel_hit)
                                                  : Value::String("task_rebate");
      case Field::kPartyKind:
        return Value::String("voip");
      case Field::kPersonAge:
        return Value::Null();  // unknown age
      case Field::kPersonTag:
        return Value::Bool(arg == "student");
      case Field::kCount:
        return Value::Number(count);
      case Field::kParty:
        return Value::String(party);
      default:
        return Value::Null();
    }
  }
  double duration = 0;
  bool intel_hit = false;
  double count = 0;
  std::string party;
  int reads = 0;
};

StatusOr<Program> Compile(std::string_view text, uint32_t mask = kCallMask) {
  FieldUse use;
  absl::Duration longest = absl::ZeroDuration();
  const RuleResolver resolve = [](std::string_view id) {
    return id == "call.a" || id == "call.*" ? std::vector<int32_t>{0} : std::vector<int32_t>{};
  };
  return CompileExpression(text, mask, resolve, &use, &longest);
}

// `contains` walks the value once over an index of the needles' first bytes and first two
// bytes: it must agree with searching for every needle on its own, on random values and lists
// (shared first bytes, one-byte needles, needles longer than the value, needles at the very
// end, non-ASCII bytes, "").
TEST(Expr, ContainsAgreesWithOneSearchPerNeedle) {
  const std::vector<std::string> alphabet = {"a", "b", "ab", "ba", "-", "\xe4", "\xff", "aab"};
  std::mt19937 rng(7);
  const auto random_text = [&](size_t max_pieces) {
    std::string t;
    for (size_t n = rng() % (max_pieces + 1); n > 0; --n) t += alphabet[rng() % alphabet.size()];
    return t;
  };
  int found = 0, not_found = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> needles;
    std::string list;
    for (size_t n = 1 + rng() % 5; n > 0; --n) {
      std::string needle = random_text(3);
      if (needle.empty() && rng() % 4 != 0) needle = "a";
      needles.push_back(needle);
      list += (list.empty() ? "\"" : ", \"") + needle + "\"";
    }
    StatusOr<Program> p = Compile("caller contains [" + list + "]");
    ASSERT_TRUE(p.ok()) << p.status();
    for (int v = 0; v < 50; ++v) {
      FakeSource s;
      s.party = random_text(6);
      bool want = false;
      for (const std::string& needle : needles) want |= s.party.find(needle) != std::string::npos;
      ASSERT_EQ(p->Evaluate(s), want) << s.party << " contains [" << list << "]";
      (want ? found : not_found) += 1;
    }
  }
  EXPECT_GT(found, 1000);
  EXPECT_GT(not_found, 1000);
}

// Lists whose needles all have three bytes or more take a branch-free screen over hashed
// three-byte prefixes first: the same agreement, on values that hold a needle, hold only a
// needle's first two bytes, or end in one.
TEST(Expr, ContainsWithLongNeedlesAgreesWithOneSearchPerNeedle) {
  const std::vector<std::string> alphabet = {"a", "b", "c", "ab", "ba", "-", "\xe4", "\xff"};
  std::mt19937 rng(17);
  const auto random_text = [&](size_t min_size, size_t max_pieces) {
    std::string t;
    for (size_t n = rng() % (max_pieces + 1); n > 0 || t.size() < min_size; n = n > 0 ? n - 1 : 0) {
      t += alphabet[rng() % alphabet.size()];
    }
    return t;
  };
  int found = 0, not_found = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> needles;
    std::string list;
    for (size_t n = 1 + rng() % 5; n > 0; --n) {
      needles.push_back(random_text(3, 3));
      list += (list.empty() ? "\"" : ", \"") + needles.back() + "\"";
    }
    StatusOr<Program> p = Compile("caller contains [" + list + "]");
    ASSERT_TRUE(p.ok()) << p.status();
    for (int v = 0; v < 50; ++v) {
      FakeSource s;
      s.party = random_text(0, 8);
      if (rng() % 4 == 0) s.party += needles[rng() % needles.size()].substr(0, 2);
      if (rng() % 8 == 0) s.party += needles[rng() % needles.size()];
      bool want = false;
      for (const std::string& needle : needles) want |= s.party.find(needle) != std::string::npos;
      ASSERT_EQ(p->Evaluate(s), want) << s.party << " contains [" << list << "]";
      (want ? found : not_found) += 1;
    }
  }
  EXPECT_GT(found, 1000);
  EXPECT_GT(not_found, 1000);
}

// A string `in` list is a hash set: it must agree with comparing every item, for values in
// and out of the list, lists with repeats and "".
TEST(Expr, InStringsAgreesWithComparingEveryItem) {
  const std::vector<std::string> words = {"", "a", "b", "ab", "top", "xyz", "com", "\xe4\xb8"};
  std::mt19937 rng(11);
  int in = 0, out = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> items;
    std::string list;
    for (size_t n = 1 + rng() % 12; n > 0; --n) {
      items.push_back(words[rng() % words.size()] + words[rng() % words.size()]);
      list += (list.empty() ? "\"" : ", \"") + items.back() + "\"";
    }
    StatusOr<Program> p = Compile("caller in [" + list + "]");
    ASSERT_TRUE(p.ok()) << p.status();
    for (int v = 0; v < 30; ++v) {
      FakeSource s;
      s.party = words[rng() % words.size()] + words[rng() % words.size()];
      const bool want = std::find(items.begin(), items.end(), s.party) != items.end();
      ASSERT_EQ(p->Evaluate(s), want) << s.party << " in [" << list << "]";
      (want ? in : out) += 1;
    }
  }
  EXPECT_GT(in, 1000);
  EXPECT_GT(out, 1000);
  // A missing value (null) is in no list.
  StatusOr<Program> p =
      Compile("domain in [\"a\", \"\"]", 1u << static_cast<unsigned>(model::EventType::kNet));
  ASSERT_TRUE(p.ok()) << p.status();
  FakeSource s;
  EXPECT_FALSE(p->Evaluate(s));
  StatusOr<Program> kind = Compile("caller.kind in [\"mobile\", \"voip\"]");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_TRUE(kind->Evaluate(s));
}

TEST(Expr, ContainsMatchesAnySubstring) {
  StatusOr<Program> p = Compile("caller contains [\"9558\", \"110\"]");
  ASSERT_TRUE(p.ok()) << p.status();
  FakeSource s;
  s.party = "+8695588";
  EXPECT_TRUE(p->Evaluate(s));
  s.party = "+86110";
  EXPECT_TRUE(p->Evaluate(s));
  s.party = "+8613895101234";
  EXPECT_FALSE(p->Evaluate(s));
  s.party = "";
  EXPECT_FALSE(p->Evaluate(s));
  StatusOr<Program> bad = Compile("duration_s contains [\"1\"]");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("'contains' needs a string"),
            std::string::npos)
      << bad.status();
  EXPECT_FALSE(Compile("caller contains [1]").ok());
  EXPECT_FALSE(Compile("caller contains []").ok());
}

TEST(Expr, LinkedIsForNetEventsAndTakesOnlyWithin) {
  constexpr uint32_t kNetMask = 1u << static_cast<unsigned>(model::EventType::kNet);
  EXPECT_TRUE(Compile("linked(within=\"24h\")", kNetMask).ok());
  EXPECT_FALSE(Compile("linked(within=\"24h\")", kCallMask).ok());
  EXPECT_FALSE(Compile("linked(within=\"24h\", type=\"sms\")", kNetMask).ok());
  EXPECT_FALSE(Compile("linked()", kNetMask).ok());
  EXPECT_TRUE(Compile("!domain.known && domain.tld in [\"xyz\"]", kNetMask).ok());
  EXPECT_FALSE(Compile("domain.known", kCallMask).ok());
}

TEST(Expr, EvaluatesComparisonsAndLogic) {
  StatusOr<Program> p = Compile("intel.caller && duration_s >= 3m || caller.kind == \"voip\"");
  ASSERT_TRUE(p.ok()) << p.status();
  FakeSource s;
  s.intel_hit = true;
  s.duration = 200;
  EXPECT_TRUE(p->Evaluate(s));
  StatusOr<Program> q = Compile("intel.caller && duration_s >= 3m");
  ASSERT_TRUE(q.ok());
  s.duration = 100;
  EXPECT_FALSE(q->Evaluate(s));
}

TEST(Expr, ShortCircuits) {
  StatusOr<Program> p = Compile("intel.caller && duration_s > 10");
  ASSERT_TRUE(p.ok());
  FakeSource s;
  EXPECT_FALSE(p->Evaluate(s));
  EXPECT_EQ(s.reads, 1);  // duration_s never read
}

TEST(Expr, InListsNullsAndFunctions) {
  FakeSource s;
  s.duration = 120;
  s.count = 3;
  StatusOr<Program> p = Compile("duration_s in [60, 120] && count(within=\"2h\") >= 3");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->Evaluate(s));
  StatusOr<Program> age = Compile("person.age >= 60 || person.age < 60");
  ASSERT_TRUE(age.ok());
  EXPECT_FALSE(age->Evaluate(s));  // unknown age compares false both ways
  StatusOr<Program> tag = Compile("person.tag(\"student\") && !person.tag(\"investor\")");
  ASSERT_TRUE(tag.ok());
  EXPECT_TRUE(tag->Evaluate(s));
  EXPECT_TRUE(Compile("intel.caller.fraud_type == \"task_rebate\"")->Evaluate(s));
}

TEST(Expr, ErrorsGiveColumn) {
  const auto message = [](std::string_view text, uint32_t mask = kCallMask) {
    StatusOr<Program> p = Compile(text, mask);
    return p.ok() ? std::string("ok") : std::string(p.status().message());
  };
  EXPECT_EQ(message("durtion_s > 3"), "column 1: unknown field 'durtion_s' (see docs/rules.md)");
  EXPECT_EQ(message("duration_s > "), "column 14: unexpected end of expression");
  EXPECT_EQ(message("duration_s > \"x\""),
            "column 14: cannot compare a number with a string using '>'");
  EXPECT_EQ(message("duration_s"), "column 1: condition must be true/false, not a number");
  EXPECT_EQ(message("text.hit", kCallMask), "column 1: 'text.hit' does not exist for call events");
  EXPECT_EQ(message("duration_s > 1", kSmsMask),
            "column 1: 'duration_s' does not exist for sms events");
  EXPECT_EQ(message("seen(\"nope\", within=\"1h\")"), "column 6: no rule matches 'nope'");
  EXPECT_EQ(message("count(type=\"call\")"), "column 1: count() needs within=\"<duration>\"");
  EXPECT_EQ(message("intel.caller & true"), "column 14: unexpected character '&'");
  EXPECT_EQ(message("\"abc"), "column 1: unterminated string");
  EXPECT_EQ(message("duration_s > 5x"), "column 14: bad number or duration '5x'");
  EXPECT_NE(message(std::string(200, '(') + "true" + std::string(200, ')')), "ok");
  EXPECT_EQ(message("seen(\"call.*\", within=6h)"), "ok");
}

}  // namespace
}  // namespace fz::detect
