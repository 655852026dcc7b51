#include "fz/detect/warning_json.h"

#include <cmath>
#include <fstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
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

std::string WarningToJson(const model::Warning& w, const model::FraudTypeRegistry& types) {
  // Keys in the order of docs/formats.md, for people reading the file.
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["id"] = w.id.value();
  j["subject"] = w.subject;
  j["subject_kind"] = std::string(model::SubjectKindName(w.subject_kind));
  j["level"] = std::string(model::WarningLevelName(w.level));
  j["score"] = std::round(w.score * 100) / 100;
  j["fraud_type"] = types.Info(w.fraud_type).code;
  j["unit_code"] = w.unit.value();
  j["rules"] = w.rule_ids;
  j["created_at"] = FormatTs(w.created_at);
  j["updated_at"] = FormatTs(w.updated_at);
  nlohmann::ordered_json ups = nlohmann::ordered_json::array();
  for (const model::LevelChange& u : w.upgrades) {
    ups.push_back(nlohmann::ordered_json{{"at", FormatTs(u.at)},
                                         {"from", std::string(model::WarningLevelName(u.from))},
                                         {"to", std::string(model::WarningLevelName(u.to))},
                                         {"rule", u.rule_id}});
  }
  j["upgrades"] = std::move(ups);
  nlohmann::ordered_json evs = nlohmann::ordered_json::array();
  for (const model::Evidence& e : w.evidence) {
    evs.push_back(nlohmann::ordered_json{{"event_id", e.event_id.value()},
                                         {"type", std::string(model::EventTypeName(e.event_type))},
                                         {"ts", FormatTs(e.time)},
                                         {"rule", e.rule_id},
                                         {"reason", e.reason},
                                         {"indicator", e.indicator}});
  }
  j["evidence"] = std::move(evs);
  // Invalid UTF-8 from a source (SMS text in a reason) is replaced, never thrown.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
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
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(StrCat(path, ": cannot open for writing"));
  for (const model::Warning& w : warnings) out << WarningToJson(w, types) << '\n';
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
