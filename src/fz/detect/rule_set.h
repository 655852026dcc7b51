// RuleSet: a compiled rules file (rules/default.toml; language in docs/rules.md): scoring
// settings, SMS text patterns and detection rules whose conditions are compiled once into flat
// programs that evaluate without parsing or allocating.
//
//   model::FraudTypeRegistry types = model::FraudTypeRegistry::WithBuiltins();
//   FZ_ASSIGN_OR_RETURN(detect::RuleSet rules, detect::RuleSet::LoadFile("rules/default.toml",
//                                                                       types));
//   // A bad file fails whole: "rules.toml:42:8: rules[3].when: column 17: unknown field
//   'durtion_s'"
//
// A RuleSet is immutable once loaded; any number of Detectors (and threads) may share one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/detect/expr.h"
#include "fz/intel/text_patterns.h"
#include "fz/model/event.h"
#include "fz/model/fraud_type.h"
#include "fz/model/warning_level.h"

namespace fz::detect {

// [scoring]: how fired rules add up to a level.
struct ScoringConfig {
  absl::Duration half_life = absl::Hours(24);  // a subject's score halves in this event time
  double yellow = 40;                          // score thresholds per level
  double orange = 70;
  double red = 120;
  std::string local_city = "640100";  // GB/T 2260 code that `caller.local` compares with
  // A rule's score is multiplied by the largest multiplier among the subject's tags and age
  // band (1 when none applies): high-risk people reach a level sooner.
  std::vector<std::pair<std::string, double>> tag_multipliers;
  struct AgeBand {
    int min_age = 0;
    int max_age = 200;
    double multiplier = 1;
  };
  std::vector<AgeBand> age_bands;
  // Per-subject window memory: entries older than the largest `within` of any rule (at most
  // `max_window`) are forgotten, and a subject keeps at most `max_entries` events.
  absl::Duration max_window = absl::Hours(24 * 7);
  int max_entries = 128;

  // The level a score reaches, nullopt below `yellow`.
  std::optional<model::WarningLevel> LevelFor(double score) const;
};

// Where a rule's fraud type comes from.
enum class FraudTypeFrom : uint8_t {
  kAuto,   // intel match, else text pattern, else the event's own (directive/report), else other
  kFixed,  // the rule's `fraud_type`
  kIntel,
  kText,
  kEvent,
};

// A piece of a reason template: literal text or a placeholder such as {caller}.
struct ReasonPiece {
  std::string literal;
  Placeholder placeholder = Placeholder::kNone;
};

struct Rule {
  std::string id;         // "call.intel_long"; unique in the file
  uint32_t on_types = 0;  // bit (1 << EventType) per event type the rule applies to
  std::string when;       // condition source text
  Program condition;      // compiled `when`
  double score = 0;
  std::optional<model::WarningLevel> min_level;  // floor on the warning level when it fires
  bool min_level_from_event = false;             // `min_level = "event"`: a directive's level
  FraudTypeFrom fraud_type_from = FraudTypeFrom::kAuto;
  model::FraudType fraud_type;  // for kFixed
  std::string reason;           // template source: "与涉诈号码{caller}通话{duration_s}秒"
  std::vector<ReasonPiece> reason_pieces;
  absl::Duration cooldown = absl::ZeroDuration();  // fires at most once per subject per cooldown
  int line = 0;                                    // line of the [[rules]] table in the file

  bool AppliesTo(model::EventType type) const {
    return (on_types & (1u << static_cast<unsigned>(type))) != 0;
  }
};

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Parses and compiles a rules file. Every error is InvalidArgument and starts with
  // "<source_name>:<line>:<column>: " (the key or rule at fault); an expression error adds the
  // column inside the expression. Nothing is half-loaded: on error there is no RuleSet.
  static StatusOr<RuleSet> Parse(std::string_view toml_text, std::string_view source_name,
                                 const model::FraudTypeRegistry& types);
  static StatusOr<RuleSet> LoadFile(const std::string& path, const model::FraudTypeRegistry& types);

  const ScoringConfig& scoring() const { return scoring_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const intel::TextPatterns& text_patterns() const { return text_patterns_; }
  const model::FraudTypeRegistry& fraud_types() const { return types_; }
  // Index of rule `id` in rules(), or -1.
  int FindRule(std::string_view id) const;
  // Largest `within` used by any window function (capped by scoring().max_window).
  absl::Duration longest_window() const { return longest_window_; }
  // True when some rule needs windows over all events (count/distinct without hit filter), so
  // the detector must remember events that matched nothing.
  bool records_all_events() const { return records_all_events_; }
  // Which lookups the rules use (the detector skips the others).
  const FieldUse& field_use() const { return field_use_; }
  const std::string& source_name() const { return source_name_; }

 private:
  friend class RuleSetBuilder;
  std::string source_name_;
  model::FraudTypeRegistry types_;
  ScoringConfig scoring_;
  std::vector<Rule> rules_;
  intel::TextPatterns text_patterns_;
  absl::Duration longest_window_ = absl::ZeroDuration();
  bool records_all_events_ = false;
  FieldUse field_use_;
};

}  // namespace fz::detect
