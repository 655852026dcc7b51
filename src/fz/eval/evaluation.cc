#include "fz/eval/evaluation.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fz/common/str_cat.h"
#include "fz/normalize/phone_normalizer.h"
#include "nlohmann/json.hpp"

namespace fz::eval {
namespace {

using model::WarningLevel;
using nlohmann::json;

constexpr size_t kMaxErrors = 5;

StatusOr<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Phones as the detector keys them; anything the normalizer refuses is kept as written.
std::string Canonical(const std::string& subject) {
  normalize::PhoneKey key;
  if (normalize::PhoneNormalizer::Default().NormalizeKey(subject, &key).ok()) {
    return key.canonical;
  }
  return subject;
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

StatusOr<absl::Time> TimeField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return absl::NotFoundError(StrCat(key, ": missing"));
  if (it->is_number_integer()) return absl::FromUnixMillis(it->get<int64_t>());
  if (!it->is_string()) return absl::InvalidArgumentError(StrCat(key, ": not a timestamp"));
  StatusOr<absl::Time> t = ParseEvalTime(it->get<std::string>());
  if (!t.ok()) return absl::InvalidArgumentError(StrCat(key, ": ", t.status().message()));
  return t;
}

// Calls `on_line(json, line_no)` for each non-empty line; parse errors and the errors
// `on_line` returns are counted into *bad and the first few kept.
template <typename OnLine>
void ForEachJsonLine(std::string_view text, std::string_view source, int64_t* bad,
                     std::vector<std::string>* errors, OnLine on_line) {
  int64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    Status status = j.is_object() ? on_line(j) : absl::InvalidArgumentError("not a JSON object");
    if (!status.ok()) {
      ++*bad;
      if (errors->size() < kMaxErrors) {
        errors->push_back(StrCat(source, ":", line_no, ": ", status.message()));
      }
    }
  }
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// When the warning first stood at `min` or above; InfiniteFuture if never.
absl::Time ReachedAt(const WarningRecord& w, WarningLevel min) {
  for (const auto& [at, level] : w.levels) {
    if (level >= min) return at;
  }
  return absl::InfiniteFuture();
}

void SetPrecision(PrecisionRow* row) {
  row->precision = row->warnings == 0
                       ? 0
                       : static_cast<double>(row->on_victims) / static_cast<double>(row->warnings);
}

}  // namespace

StatusOr<absl::Time> ParseEvalTime(std::string_view text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t ms = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      return absl::InvalidArgumentError(StrCat("bad epoch milliseconds '", text, "'"));
    }
    return absl::FromUnixMillis(ms);
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(text.data(), text.size()), &t, &err)) {
    return absl::InvalidArgumentError(StrCat("bad timestamp '", text, "'"));
  }
  return t;
}

StatusOr<Truth> ParseTruth(std::string_view jsonl, std::string_view source_name) {
  Truth truth;
  ForEachJsonLine(jsonl, source_name, &truth.bad_lines, &truth.errors, [&](const json& j) {
    const std::string kind = StringField(j, "kind");
    const std::string subject = StringField(j, "subject");
    if (subject.empty()) return absl::InvalidArgumentError("subject: missing");
    const std::string type = StringField(j, "fraud_type");
    if (kind == "targeted") {
      truth.targeted.emplace(Canonical(subject), type);
      return absl::OkStatus();
    }
    if (kind != "victim") return absl::InvalidArgumentError(StrCat("kind: '", kind, "'"));
    TruthVictim victim{.fraud_type = type};
    auto loss = j.find("first_loss_ts");
    if (loss != j.end() && !loss->is_null()) {
      FZ_ASSIGN_OR_RETURN(victim.first_loss, TimeField(j, "first_loss_ts"));
      victim.loss_in_window = true;
    }
    truth.victims[Canonical(subject)] = std::move(victim);
    return absl::OkStatus();
  });
  return truth;
}

StatusOr<Warnings> ParseWarnings(std::string_view jsonl, std::string_view source_name) {
  Warnings out;
  ForEachJsonLine(jsonl, source_name, &out.bad_lines, &out.errors, [&](const json& j) {
    WarningRecord w;
    w.subject = StringField(j, "subject");
    if (w.subject.empty()) return absl::InvalidArgumentError("subject: missing");
    w.subject = Canonical(w.subject);
    w.fraud_type = StringField(j, "fraud_type");
    std::optional<WarningLevel> level = model::ParseWarningLevel(StringField(j, "level"));
    if (!level) return absl::InvalidArgumentError("level: not red, orange or yellow");
    FZ_ASSIGN_OR_RETURN(absl::Time created, TimeField(j, "created_at"));
    auto upgrades = j.find("upgrades");
    std::vector<std::pair<absl::Time, WarningLevel>> steps;
    WarningLevel initial = *level;
    if (upgrades != j.end() && upgrades->is_array()) {
      for (const json& u : *upgrades) {
        if (!u.is_object()) return absl::InvalidArgumentError("upgrades: not an object");
        std::optional<WarningLevel> from = model::ParseWarningLevel(StringField(u, "from"));
        std::optional<WarningLevel> to = model::ParseWarningLevel(StringField(u, "to"));
        if (!from || !to) return absl::InvalidArgumentError("upgrades: bad from/to level");
        FZ_ASSIGN_OR_RETURN(absl::Time at, TimeField(u, "at"));
        if (steps.empty()) initial = *from;
        steps.emplace_back(at, *to);
      }
    }
    w.levels.emplace_back(created, initial);
    for (auto& step : steps) w.levels.push_back(step);
    out.records.push_back(std::move(w));
    return absl::OkStatus();
  });
  return out;
}

StatusOr<Truth> LoadTruth(const std::string& path) {
  FZ_ASSIGN_OR_RETURN(std::string text, ReadAll(path));
  return ParseTruth(text, path);
}

StatusOr<Warnings> LoadWarnings(const std::string& path) {
  FZ_ASSIGN_OR_RETURN(std::string text, ReadAll(path));
  return ParseWarnings(text, path);
}

EvalReport Evaluate(const Truth& truth, const Warnings& warnings, const EvalOptions& options) {
  EvalReport r;
  r.min_level = options.min_level;
  r.bad_truth_lines = truth.bad_lines;
  r.bad_warning_lines = warnings.bad_lines;
  // Earliest time each subject was warned at the minimum level.
  std::unordered_map<std::string, absl::Time> first_warned;
  for (const WarningRecord& w : warnings.records) {
    const absl::Time at = ReachedAt(w, options.min_level);
    if (at == absl::InfiniteFuture()) {
      ++r.warnings_below_min_level;
      continue;
    }
    auto [it, inserted] = first_warned.emplace(w.subject, at);
    if (!inserted) it->second = std::min(it->second, at);
    const bool victim = truth.victims.count(w.subject) > 0;
    const std::string level(model::WarningLevelName(w.levels.back().second));
    for (PrecisionRow* row : {&r.precision, &r.by_level[level],
                              &r.by_warning_type[w.fraud_type.empty() ? "-" : w.fraud_type]}) {
      ++row->warnings;
      if (victim) ++row->on_victims;
    }
    if (!victim)
      ++(truth.targeted.count(w.subject) ? r.warnings_on_targeted : r.warnings_on_others);
  }
  SetPrecision(&r.precision);
  for (auto& [key, row] : r.by_level) SetPrecision(&row);
  for (auto& [key, row] : r.by_warning_type) SetPrecision(&row);

  std::vector<double> all_leads;
  std::map<std::string, std::vector<double>> leads_by_type;
  for (const auto& [subject, victim] : truth.victims) {
    if (!victim.loss_in_window) {
      ++r.pending_victims;
      continue;
    }
    RecallRow& row = r.by_fraud_type[victim.fraud_type];
    ++row.victims;
    ++r.recall.victims;
    auto it = first_warned.find(subject);
    if (it == first_warned.end()) continue;
    ++row.warned;
    ++r.recall.warned;
    if (it->second < victim.first_loss) {
      ++row.warned_before_loss;
      ++r.recall.warned_before_loss;
      const double lead = absl::ToDoubleMinutes(victim.first_loss - it->second);
      all_leads.push_back(lead);
      leads_by_type[victim.fraud_type].push_back(lead);
    }
  }
  r.recall.median_lead_minutes = Median(all_leads);
  for (auto& [type, row] : r.by_fraud_type) row.median_lead_minutes = Median(leads_by_type[type]);
  if (r.recall.victims > 0) {
    r.share_warned = static_cast<double>(r.recall.warned) / static_cast<double>(r.recall.victims);
    r.share_before_loss =
        static_cast<double>(r.recall.warned_before_loss) / static_cast<double>(r.recall.victims);
  }
  return r;
}

}  // namespace fz::eval
