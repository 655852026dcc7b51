#include "fz/detect/warning_json.h"

#include <cmath>
#include <fstream>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "fz/common/json_line.h"
#include "fz/common/str_cat.h"

namespace fz::detect {
namespace {

using nlohmann::json;

const absl::TimeZone& ChinaTime() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

std::string FormatTs(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", t, ChinaTime());
}

StatusOr<absl::Time> ParseTs(const json& j, std::string_view field) {
  if (!j.is_string()) return absl::InvalidArgumentError(StrCat(field, ": expected a timestamp"));
  const std::string text = j.get<std::string>();
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return absl::InvalidArgumentError(StrCat(field, ": '", text, "' is not RFC 3339: ", error));
  }
  return t;
}

StatusOr<std::string> Str(const json& obj, const char* field, bool required = true) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) {
    if (required) return absl::InvalidArgumentError(StrCat(field, ": missing"));
    return std::string();
  }
  if (!it->is_string()) return absl::InvalidArgumentError(StrCat(field, ": expected a string"));
  return it->get<std::string>();
}

StatusOr<model::WarningLevel> Level(const std::string& text, std::string_view field) {
  const std::optional<model::WarningLevel> level = model::ParseWarningLevel(text);
  if (!level) return absl::InvalidArgumentError(StrCat(field, ": '", text, "' is not a level"));
  return *level;
}

StatusOr<model::Evidence> EvidenceFromJson(const json& e, const std::string& where) {
  if (!e.is_object()) return absl::InvalidArgumentError(StrCat(where, ": expected an object"));
  model::Evidence ev;
  FZ_ASSIGN_OR_RETURN(std::string id, Str(e, "event_id"));
  ev.event_id = model::EventId(std::move(id));
  FZ_ASSIGN_OR_RETURN(const std::string type, Str(e, "type"));
  const std::optional<model::EventType> t = model::ParseEventType(type);
  if (!t) return absl::InvalidArgumentError(StrCat(where, ".type: unknown '", type, "'"));
  ev.event_type = *t;
  if (!e.contains("ts")) return absl::InvalidArgumentError(StrCat(where, ".ts: missing"));
  FZ_ASSIGN_OR_RETURN(ev.time, ParseTs(e["ts"], where + ".ts"));
  FZ_ASSIGN_OR_RETURN(ev.rule_id, Str(e, "rule"));
  FZ_ASSIGN_OR_RETURN(ev.reason, Str(e, "reason", false));
  FZ_ASSIGN_OR_RETURN(ev.indicator, Str(e, "indicator", false));
  return ev;
}

StatusOr<model::Warning> FromJsonObject(const json& j, const model::FraudTypeRegistry& types) {
  if (!j.is_object()) return absl::InvalidArgumentError("expected a JSON object");
  model::Warning w;
  const auto id = j.find("id");
  if (id == j.end() || !id->is_number_integer()) {
    return absl::InvalidArgumentError("id: expected an integer");
  }
  w.id = model::WarningId(id->get<int64_t>());
  FZ_ASSIGN_OR_RETURN(w.subject, Str(j, "subject"));
  FZ_ASSIGN_OR_RETURN(const std::string kind, Str(j, "subject_kind"));
  if (kind == "phone") {
    w.subject_kind = model::SubjectKind::kPhone;
  } else if (kind == "account") {
    w.subject_kind = model::SubjectKind::kAccount;
  } else if (kind == "id_no") {
    w.subject_kind = model::SubjectKind::kIdNo;
  } else {
    return absl::InvalidArgumentError(StrCat("subject_kind: unknown '", kind, "'"));
  }
  FZ_ASSIGN_OR_RETURN(const std::string level, Str(j, "level"));
  FZ_ASSIGN_OR_RETURN(w.level, Level(level, "level"));
  const auto score = j.find("score");
  if (score == j.end() || !score->is_number()) {
    return absl::InvalidArgumentError("score: expected a number");
  }
  w.score = score->get<double>();
  FZ_ASSIGN_OR_RETURN(const std::string ft, Str(j, "fraud_type", false));
  const std::optional<model::FraudType> type = types.Find(ft.empty() ? "other" : ft);
  if (!type) return absl::InvalidArgumentError(StrCat("fraud_type: unknown '", ft, "'"));
  w.fraud_type = *type;
  FZ_ASSIGN_OR_RETURN(std::string unit, Str(j, "unit_code", false));
  w.unit = model::UnitCode(std::move(unit));
  if (const auto rules = j.find("rules"); rules != j.end()) {
    if (!rules->is_array()) return absl::InvalidArgumentError("rules: expected a list");
    for (const json& r : *rules) {
      if (!r.is_string()) return absl::InvalidArgumentError("rules: expected strings");
      w.rule_ids.push_back(r.get<std::string>());
    }
  }
  if (!j.contains("created_at") || !j.contains("updated_at")) {
    return absl::InvalidArgumentError("created_at/updated_at: missing");
  }
  FZ_ASSIGN_OR_RETURN(w.created_at, ParseTs(j["created_at"], "created_at"));
  FZ_ASSIGN_OR_RETURN(w.updated_at, ParseTs(j["updated_at"], "updated_at"));
  if (const auto ups = j.find("upgrades"); ups != j.end()) {
    if (!ups->is_array()) return absl::InvalidArgumentError("upgrades: expected a list");
    for (size_t i = 0; i < ups->size(); ++i) {
      const json& u = (*ups)[i];
      const std::string where = StrCat("upgrades[", i, "]");
      if (!u.is_object() || !u.contains("at")) {
        return absl::InvalidArgumentError(StrCat(where, ": expected {at, from, to, rule}"));
      }
      model::LevelChange change;
      FZ_ASSIGN_OR_RETURN(change.at, ParseTs(u["at"], where + ".at"));
      FZ_ASSIGN_OR_RETURN(const std::string from, Str(u, "from"));
      FZ_ASSIGN_OR_RETURN(change.from, Level(from, where + ".from"));
      FZ_ASSIGN_OR_RETURN(const std::string to, Str(u, "to"));
      FZ_ASSIGN_OR_RETURN(change.to, Level(to, where + ".to"));
      FZ_ASSIGN_OR_RETURN(change.rule_id, Str(u, "rule", false));
      w.upgrades.push_back(std::move(change));
    }
  }
  if (const auto evs = j.find("evidence"); evs != j.end()) {
    if (!evs->is_array()) return absl::InvalidArgumentError("evidence: expected a list");
    for (size_t i = 0; i < evs->size(); ++i) {
      FZ_ASSIGN_OR_RETURN(model::Evidence e,
                          EvidenceFromJson((*evs)[i], StrCat("evidence[", i, "]")));
      w.evidence.push_back(std::move(e));
    }
  }
  return w;
}

}  // namespace

namespace {

// A JSON string, escaped as nlohmann's dump escapes it (the format of this file before it was
// written by hand). Invalid UTF-8 from a source (SMS text in a reason) is replaced, as
// nlohmann's `replace` handler does, by nlohmann itself: rare, so its cost does not matter.
void AppendString(std::string* out, std::string_view text) {
  if (!IsValidUtf8(text)) {
    *out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out->push_back('"');
  AppendJsonEscaped(out, text);
  out->push_back('"');
}

// FormatTs, without absl's formatter for the whole seconds of the years events carry.
void AppendTs(std::string* out, absl::Time t) {
  constexpr int64_t kYear2200 = 7258118400;
  const int64_t s = absl::ToUnixSeconds(t);
  out->push_back('"');
  if (s >= 0 && s < kYear2200 && absl::FromUnixSeconds(s) == t) {
    AppendBeijingTime(out, s);
  } else {
    *out += FormatTs(t);
  }
  out->push_back('"');
}

void Str(JsonLine& object, std::string_view key, std::string_view text) {
  AppendString(object.Field(key), text);
}

void Ts(JsonLine& object, std::string_view key, absl::Time t) { AppendTs(object.Field(key), t); }

// `"key":[...]` with `item(element)` writing each element.
template <typename T, typename Item>
void List(JsonLine& object, std::string_view key, const std::vector<T>& elements, Item&& item) {
  std::string* out = object.Field(key);
  out->push_back('[');
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out->push_back(',');
    item(elements[i]);
  }
  out->push_back(']');
}

}  // namespace

std::string WarningToJson(const model::Warning& w, const model::FraudTypeRegistry& types) {
  // Keys in the order of docs/formats.md, for people reading the file. Written by hand: with
  // nlohmann::ordered_json, writing a run's warnings took as long as a tenth of its detection.
  std::string out;
  out.reserve(256 + 160 * w.evidence.size());
  JsonLine warning(&out);
  warning.Int("id", w.id.value());
  Str(warning, "subject", w.subject);
  Str(warning, "subject_kind", model::SubjectKindName(w.subject_kind));
  Str(warning, "level", model::WarningLevelName(w.level));
  *warning.Field("score") += json(std::round(w.score * 100) / 100).dump();
  Str(warning, "fraud_type", types.Info(w.fraud_type).code);
  Str(warning, "unit_code", w.unit.value());
  List(warning, "rules", w.rule_ids, [&](const std::string& rule) { AppendString(&out, rule); });
  Ts(warning, "created_at", w.created_at);
  Ts(warning, "updated_at", w.updated_at);
  List(warning, "upgrades", w.upgrades, [&](const model::LevelChange& u) {
    JsonLine upgrade(&out);
    Ts(upgrade, "at", u.at);
    Str(upgrade, "from", model::WarningLevelName(u.from));
    Str(upgrade, "to", model::WarningLevelName(u.to));
    Str(upgrade, "rule", u.rule_id);
    upgrade.Close();
  });
  List(warning, "evidence", w.evidence, [&](const model::Evidence& e) {
    JsonLine evidence(&out);
    Str(evidence, "event_id", e.event_id.value());
    Str(evidence, "type", model::EventTypeName(e.event_type));
    Ts(evidence, "ts", e.time);
    Str(evidence, "rule", e.rule_id);
    Str(evidence, "reason", e.reason);
    Str(evidence, "indicator", e.indicator);
    evidence.Close();
  });
  warning.Close();
  return out;
}

StatusOr<model::Warning> WarningFromJson(std::string_view line,
                                         const model::FraudTypeRegistry& types) {
  json j = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError("invalid JSON");
  try {
    return FromJsonObject(j, types);
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(StrCat("bad warning: ", e.what()));
  }
}

Status WriteWarningsJsonl(const std::string& path, const std::vector<model::Warning>& warnings,
                          const model::FraudTypeRegistry& types) {
  std::vector<const model::Warning*> refs;
  refs.reserve(warnings.size());
  for (const model::Warning& w : warnings) refs.push_back(&w);
  return WriteWarningsJsonl(path, refs, types);
}

Status WriteWarningsJsonl(const std::string& path,
                          const std::vector<const model::Warning*>& warnings,
                          const model::FraudTypeRegistry& types) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(StrCat(path, ": cannot open for writing"));
  // A run's warnings are tens of MB of JSON: the second half is formatted on a second thread
  // while the first is formatted and written here.
  auto format = [&](size_t from, size_t to, std::string* text) {
    for (size_t i = from; i < to; ++i) {
      *text += WarningToJson(*warnings[i], types);
      text->push_back('\n');
    }
  };
  constexpr size_t kParallelFrom = 4096;
  const size_t half = warnings.size() >= kParallelFrom ? warnings.size() / 2 : warnings.size();
  std::string second;
  std::thread helper;
  if (half < warnings.size()) helper = std::thread(format, half, warnings.size(), &second);
  constexpr size_t kChunk = 1 << 20;
  std::string first;
  for (size_t i = 0; i < half; ++i) {
    first += WarningToJson(*warnings[i], types);
    first.push_back('\n');
    if (first.size() >= kChunk) {
      out.write(first.data(), static_cast<std::streamsize>(first.size()));
      first.clear();
    }
  }
  out.write(first.data(), static_cast<std::streamsize>(first.size()));
  if (helper.joinable()) helper.join();
  out.write(second.data(), static_cast<std::streamsize>(second.size()));
  out.flush();
  if (!out) return absl::DataLossError(StrCat(path, ": write failed"));
  return absl::OkStatus();
}

StatusOr<std::vector<model::Warning>> ReadWarningsJsonl(const std::string& path,
                                                        const model::FraudTypeRegistry& types) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open warnings file"));
  std::vector<model::Warning> out;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    StatusOr<model::Warning> w = WarningFromJson(line, types);
    if (!w.ok()) {
      return absl::InvalidArgumentError(StrCat(path, ":", line_no, ": ", w.status().message()));
    }
    out.push_back(std::move(w).value());
  }
  return out;
}

}  // namespace fz::detect
