#include "fz/detect/rule_set.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "fz/common/duration.h"
#include "fz/common/str_cat.h"

namespace fz::detect {

std::optional<model::WarningLevel> ScoringConfig::LevelFor(double score) const {
  if (score >= red) return model::WarningLevel::kRed;
  if (score >= orange) return model::WarningLevel::kOrange;
  if (score >= yellow) return model::WarningLevel::kYellow;
  return std::nullopt;
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

int RuleSet::FindRule(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// Reads the TOML tree into a RuleSet; every error names file:line:column and the key.
class RuleSetBuilder {
 public:
  RuleSetBuilder(std::string_view source, const model::FraudTypeRegistry& types) {
    set_.source_name_ = std::string(source);
    set_.types_ = types;
  }

  StatusOr<RuleSet> Build(const toml::table& root) {
    FZ_RETURN_IF_ERROR(
        CheckKeys(root, "", {"version", "description", "scoring", "text_patterns", "rules"}));
    if (const toml::node* scoring = root.get("scoring")) FZ_RETURN_IF_ERROR(Scoring(*scoring));
    if (const toml::node* patterns = root.get("text_patterns")) {
      FZ_RETURN_IF_ERROR(TextPatterns(*patterns));
    }
    const toml::node* rules = root.get("rules");
    if (rules == nullptr) return Error(nullptr, "rules", "no [[rules]] in the file");
    FZ_RETURN_IF_ERROR(Rules(*rules));
    set_.records_all_events_ = set_.field_use_.Uses(Field::kNone);
    set_.longest_window_ = std::min(set_.longest_window_, set_.scoring_.max_window);
    return std::move(set_);
  }

 private:
  std::string Where(const toml::node* node) const {
    if (node == nullptr || node->source().begin.line == 0) return set_.source_name_;
    return StrCat(set_.source_name_, ":", node->source().begin.line, ":",
                  node->source().begin.column);
  }

  Status Error(const toml::node* node, std::string_view key, std::string_view message) const {
    return absl::InvalidArgumentError(StrCat(Where(node), ": ", key, ": ", message));
  }

  Status CheckKeys(const toml::table& table, std::string_view prefix,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        std::string known;
        for (std::string_view a : allowed) StrAppend(&known, known.empty() ? "" : ", ", a);
        return Error(&node, StrCat(prefix, key.str()), StrCat("unknown key (known: ", known, ")"));
      }
    }
    return absl::OkStatus();
  }

  const toml::table* AsTable(const toml::node& node) const { return node.as_table(); }

  StatusOr<double> Number(const toml::table& t, std::string_view key, std::string_view name,
                          double def, double min, double max) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return def;
    double v;
    if (const auto* i = n->as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* f = n->as_floating_point()) {
      v = f->get();
    } else {
      return Error(n, name, "expected a number");
    }
    if (!(v >= min && v <= max)) {
      return Error(n, name, StrCat("must be in [", min, ", ", max, "]"));
    }
    return v;
  }

  StatusOr<std::string> String(const toml::table& t, std::string_view key, std::string_view name,
                               bool required) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) return Error(&t, name, "required key is missing");
      return std::string();
    }
    const auto* s = n->as_string();
    if (s == nullptr) return Error(n, name, "expected a string");
    return s->get();
  }

  StatusOr<absl::Duration> Duration(const toml::table& t, std::string_view key,
                                    std::string_view name, absl::Duration def) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return def;
    const auto* s = n->as_string();
    if (s == nullptr) return Error(n, name, "expected a duration string such as \"24h\"");
    StatusOr<absl::Duration> d = ParseDuration(s->get());
    if (!d.ok()) return Error(n, name, std::string(d.status().message()));
    return *d;
  }

  StatusOr<model::FraudType> FraudType(const toml::node* n, std::string_view name,
                                       std::string_view text) const {
    StatusOr<model::FraudType> t = set_.types_.Parse(text);
    if (!t.ok()) return Error(n, name, std::string(t.status().message()));
    return *t;
  }

  Status Scoring(const toml::node& node);
  Status TextPatterns(const toml::node& node);
  Status Rules(const toml::node& node);
  Status Rule(const toml::table& t, size_t index);
  Status RuleOn(const toml::table& t, std::string_view name, detect::Rule* rule) const;
  Status RuleReason(const toml::table& t, std::string_view name, detect::Rule* rule) const;

  RuleSet set_;
  std::vector<std::string> rule_ids_;
};

Status RuleSetBuilder::Scoring(const toml::node& node) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return Error(&node, "scoring", "expected a table [scoring]");
  FZ_RETURN_IF_ERROR(CheckKeys(*t, "scoring.",
                               {"half_life", "yellow", "orange", "red", "local_city", "max_window",
                                "max_entries", "tag_multipliers", "age_bands"}));
  ScoringConfig& s = set_.scoring_;
  FZ_ASSIGN_OR_RETURN(s.half_life, Duration(*t, "half_life", "scoring.half_life", s.half_life));
  if (s.half_life <= absl::ZeroDuration()) {
    return Error(t->get("half_life"), "scoring.half_life", "must be positive");
  }
  FZ_ASSIGN_OR_RETURN(s.yellow, Number(*t, "yellow", "scoring.yellow", s.yellow, 0.001, 1e9));
  FZ_ASSIGN_OR_RETURN(s.orange, Number(*t, "orange", "scoring.orange", s.orange, 0.001, 1e9));
  FZ_ASSIGN_OR_RETURN(s.red, Number(*t, "red", "scoring.red", s.red, 0.001, 1e9));
  if (!(s.yellow < s.orange && s.orange < s.red)) {
    return Error(t, "scoring", "thresholds must rise: yellow < orange < red");
  }
  FZ_ASSIGN_OR_RETURN(std::string city, String(*t, "local_city", "scoring.local_city", false));
  if (!city.empty()) s.local_city = city;
  FZ_ASSIGN_OR_RETURN(s.max_window, Duration(*t, "max_window", "scoring.max_window", s.max_window));
  FZ_ASSIGN_OR_RETURN(const double entries,
                      Number(*t, "max_entries", "scoring.max_entries", s.max_entries, 4, 65536));
  s.max_entries = static_cast<int>(entries);
  if (const toml::node* tags = t->get("tag_multipliers")) {
    const toml::table* tt = tags->as_table();
    if (tt == nullptr) return Error(tags, "scoring.tag_multipliers", "expected a table");
    for (const auto& [key, value] : *tt) {
      const std::string name = StrCat("scoring.tag_multipliers.", key.str());
      FZ_ASSIGN_OR_RETURN(const double m, Number(*tt, key.str(), name, 1, 0.01, 100));
      s.tag_multipliers.emplace_back(std::string(key.str()), m);
    }
  }
  if (const toml::node* bands = t->get("age_bands")) {
    const toml::array* arr = bands->as_array();
    if (arr == nullptr) return Error(bands, "scoring.age_bands", "expected [[scoring.age_bands]]");
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string name = StrCat("scoring.age_bands[", i, "]");
      const toml::table* bt = (*arr)[i].as_table();
      if (bt == nullptr) return Error(&(*arr)[i], name, "expected a table");
      FZ_RETURN_IF_ERROR(CheckKeys(*bt, name + ".", {"min", "max", "multiplier"}));
      ScoringConfig::AgeBand band;
      FZ_ASSIGN_OR_RETURN(const double lo, Number(*bt, "min", name + ".min", 0, 0, 200));
      FZ_ASSIGN_OR_RETURN(const double hi, Number(*bt, "max", name + ".max", 200, 0, 200));
      FZ_ASSIGN_OR_RETURN(band.multiplier,
                          Number(*bt, "multiplier", name + ".multiplier", 1, 0.01, 100));
      if (lo > hi) return Error(bt, name, "min is above max");
      band.min_age = static_cast<int>(lo);
      band.max_age = static_cast<int>(hi);
      s.age_bands.push_back(band);
    }
  }
  return absl::OkStatus();
}

Status RuleSetBuilder::TextPatterns(const toml::node& node) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return Error(&node, "text_patterns", "expected [[text_patterns]]");
  std::vector<intel::TextPattern> patterns;
  std::vector<const toml::node*> where;  // per pattern, for compile errors
  absl::flat_hash_set<std::string> ids;
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string name = StrCat("text_patterns[", i, "]");
    const toml::table* t = (*arr)[i].as_table();
    if (t == nullptr) return Error(&(*arr)[i], name, "expected a table");
    FZ_RETURN_IF_ERROR(
        CheckKeys(*t, name + ".", {"id", "keywords", "regex", "fraud_type", "weight", "reason"}));
    intel::TextPattern base;
    FZ_ASSIGN_OR_RETURN(base.id, String(*t, "id", name + ".id", true));
    if (!ids.insert(base.id).second) return Error(t->get("id"), name + ".id", "duplicate id");
    FZ_ASSIGN_OR_RETURN(const std::string ft, String(*t, "fraud_type", name + ".fraud_type", true));
    FZ_ASSIGN_OR_RETURN(base.fraud_type, FraudType(t->get("fraud_type"), name + ".fraud_type", ft));
    FZ_ASSIGN_OR_RETURN(base.weight, Number(*t, "weight", name + ".weight", 1, 0, 1000));
    FZ_ASSIGN_OR_RETURN(base.reason_zh, String(*t, "reason", name + ".reason", true));
    size_t added = 0;
    if (const toml::node* kw = t->get("keywords")) {
      const toml::array* ka = kw->as_array();
      if (ka == nullptr) return Error(kw, name + ".keywords", "expected a list of strings");
      for (size_t k = 0; k < ka->size(); ++k) {
        const auto* s = (*ka)[k].as_string();
        if (s == nullptr || s->get().empty()) {
          return Error(&(*ka)[k], StrCat(name, ".keywords[", k, "]"),
                       "expected a non-empty string");
        }
        intel::TextPattern p = base;
        // Pattern ids must be unique in the compiled database: one entry per keyword.
        p.id = StrCat(base.id, "#", k);
        p.pattern = s->get();
        patterns.push_back(std::move(p));
        where.push_back(&(*ka)[k]);
        ++added;
      }
    }
    FZ_ASSIGN_OR_RETURN(const std::string regex, String(*t, "regex", name + ".regex", false));
    if (!regex.empty()) {
      intel::TextPattern p = base;
      p.id = StrCat(base.id, "#re");
      p.pattern = regex;
      p.regex = true;
      patterns.push_back(std::move(p));
      where.push_back(t->get("regex"));
      ++added;
    }
    if (added == 0) return Error(t, name, "needs keywords and/or regex");
  }
  StatusOr<intel::TextPatterns> compiled = intel::TextPatterns::Compile(patterns);
  if (!compiled.ok()) {
    // Name the first pattern whose id the message mentions, else the list.
    const std::string message(compiled.status().message());
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (message.find(patterns[i].id) != std::string::npos) {
        return Error(where[i], "text_patterns", message);
      }
    }
    return Error(&node, "text_patterns", message);
  }
  set_.text_patterns_ = std::move(compiled).value();
  return absl::OkStatus();
}

Status RuleSetBuilder::Rules(const toml::node& node) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return Error(&node, "rules", "expected [[rules]]");
  // Ids first, so that seen() may name a rule defined further down.
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string name = StrCat("rules[", i, "]");
    const toml::table* t = (*arr)[i].as_table();
    if (t == nullptr) return Error(&(*arr)[i], name, "expected a table");
    FZ_ASSIGN_OR_RETURN(std::string id, String(*t, "id", name + ".id", true));
    if (id.empty()) return Error(t->get("id"), name + ".id", "must not be empty");
    if (std::find(rule_ids_.begin(), rule_ids_.end(), id) != rule_ids_.end()) {
      return Error(t->get("id"), name + ".id", StrCat("duplicate rule id '", id, "'"));
    }
    rule_ids_.push_back(std::move(id));
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    FZ_RETURN_IF_ERROR(Rule(*(*arr)[i].as_table(), i));
  }
  return absl::OkStatus();
}

Status RuleSetBuilder::RuleOn(const toml::table& t, std::string_view name,
                              detect::Rule* rule) const {
  const toml::node* on = t.get("on");
  if (on == nullptr) return Error(&t, StrCat(name, ".on"), "required key is missing");
  std::vector<std::pair<const toml::node*, std::string>> names;
  if (const auto* s = on->as_string()) {
    names.emplace_back(on, s->get());
  } else if (const auto* a = on->as_array()) {
    for (const toml::node& item : *a) {
      const auto* s = item.as_string();
      if (s == nullptr) return Error(&item, StrCat(name, ".on"), "expected event type names");
      names.emplace_back(&item, s->get());
    }
  } else {
    return Error(on, StrCat(name, ".on"), "expected an event type or a list of them");
  }
  for (const auto& [n, type_name] : names) {
    const std::optional<model::EventType> type = model::ParseEventType(type_name);
    if (!type) {
      return Error(n, StrCat(name, ".on"),
                   StrCat("unknown event type '", type_name,
                          "' (call, sms, net, app, transfer, directive, report)"));
    }
    rule->on_types |= 1u << static_cast<unsigned>(*type);
  }
  if (rule->on_types == 0) return Error(on, StrCat(name, ".on"), "empty list");
  return absl::OkStatus();
}

Status RuleSetBuilder::RuleReason(const toml::table& t, std::string_view name,
                                  detect::Rule* rule) const {
  const std::string key = StrCat(name, ".reason");
  FZ_ASSIGN_OR_RETURN(rule->reason, String(t, "reason", key, true));
  std::string_view rest = rule->reason;
  while (!rest.empty()) {
    const size_t open = rest.find('{');
    ReasonPiece literal;
    literal.literal = std::string(rest.substr(0, open));
    if (!literal.literal.empty()) rule->reason_pieces.push_back(std::move(literal));
    if (open == std::string_view::npos) break;
    const size_t close = rest.find('}', open);
    if (close == std::string_view::npos) return Error(t.get("reason"), key, "unclosed '{'");
    const std::string_view ph = rest.substr(open + 1, close - open - 1);
    ReasonPiece piece;
    piece.placeholder = ParsePlaceholder(ph);
    if (piece.placeholder == Placeholder::kNone) {
      return Error(t.get("reason"), key, StrCat("unknown placeholder {", ph, "}"));
    }
    rule->reason_pieces.push_back(std::move(piece));
    rest = rest.substr(close + 1);
  }
  return absl::OkStatus();
}

Status RuleSetBuilder::Rule(const toml::table& t, size_t index) {
  const std::string name = StrCat("rules[", index, "]");
  FZ_RETURN_IF_ERROR(CheckKeys(t, name + ".",
                               {"id", "on", "when", "score", "min_level", "fraud_type", "reason",
                                "cooldown", "description"}));
  detect::Rule rule;
  rule.id = rule_ids_[index];
  rule.line = static_cast<int>(t.source().begin.line);
  FZ_RETURN_IF_ERROR(RuleOn(t, name, &rule));
  FZ_ASSIGN_OR_RETURN(rule.when, String(t, "when", name + ".when", false));
  if (!rule.when.empty()) {
    const RuleResolver resolve = [this](std::string_view pattern) {
      std::vector<int32_t> out;
      const bool prefix = pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*";
      const std::string_view stem = prefix ? pattern.substr(0, pattern.size() - 1) : pattern;
      for (size_t i = 0; i < rule_ids_.size(); ++i) {
        const std::string_view id = rule_ids_[i];
        if (prefix ? id.substr(0, stem.size()) == stem : id == pattern) {
          out.push_back(static_cast<int32_t>(i));
        }
      }
      return out;
    };
    StatusOr<Program> program = CompileExpression(rule.when, rule.on_types, resolve,
                                                  &set_.field_use_, &set_.longest_window_);
    if (!program.ok())
      return Error(t.get("when"), name + ".when", std::string(program.status().message()));
    rule.condition = std::move(program).value();
  }
  FZ_ASSIGN_OR_RETURN(rule.score, Number(t, "score", name + ".score", 0, -1e6, 1e6));
  FZ_ASSIGN_OR_RETURN(const std::string level, String(t, "min_level", name + ".min_level", false));
  if (level == "event") {
    if (rule.on_types != (1u << static_cast<unsigned>(model::EventType::kDirective))) {
      return Error(t.get("min_level"), name + ".min_level",
                   "\"event\" is only for rules on directive events");
    }
    rule.min_level_from_event = true;
  } else if (!level.empty()) {
    rule.min_level = model::ParseWarningLevel(level);
    if (!rule.min_level) {
      return Error(t.get("min_level"), name + ".min_level",
                   StrCat("'", level, "' is not a level (yellow, orange, red, event)"));
    }
  }
  FZ_ASSIGN_OR_RETURN(const std::string ft, String(t, "fraud_type", name + ".fraud_type", false));
  if (ft.empty() || ft == "auto") {
    rule.fraud_type_from = FraudTypeFrom::kAuto;
  } else if (ft == "intel") {
    rule.fraud_type_from = FraudTypeFrom::kIntel;
  } else if (ft == "text") {
    rule.fraud_type_from = FraudTypeFrom::kText;
  } else if (ft == "event") {
    rule.fraud_type_from = FraudTypeFrom::kEvent;
  } else {
    rule.fraud_type_from = FraudTypeFrom::kFixed;
    FZ_ASSIGN_OR_RETURN(rule.fraud_type, FraudType(t.get("fraud_type"), name + ".fraud_type", ft));
  }
  FZ_RETURN_IF_ERROR(RuleReason(t, name, &rule));
  FZ_ASSIGN_OR_RETURN(rule.cooldown,
                      Duration(t, "cooldown", name + ".cooldown", absl::ZeroDuration()));
  if (rule.cooldown > set_.longest_window_) set_.longest_window_ = rule.cooldown;
  set_.rules_.push_back(std::move(rule));
  return absl::OkStatus();
}

StatusOr<RuleSet> RuleSet::Parse(std::string_view toml_text, std::string_view source_name,
                                 const model::FraudTypeRegistry& types) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    return absl::InvalidArgumentError(StrCat(source_name, ":", at.line, ":", at.column,
                                             ": TOML syntax error: ", error.description()));
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(StrCat(source_name, ": ", error.what()));
  }
  RuleSetBuilder builder(source_name, types);
  return builder.Build(root);
}

StatusOr<RuleSet> RuleSet::LoadFile(const std::string& path,
                                    const model::FraudTypeRegistry& types) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open rules file"));
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path, types);
}

}  // namespace fz::detect
