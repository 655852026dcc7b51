// Detector checkpoints: JSONL, one header line, one line per subject with state, and lines of
// remembered event-id hashes. Independent of the thread count: any shard layout can load it.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "fz/common/str_cat.h"
#include "fz/detect/detector_impl.h"
#include "fz/detect/warning_json.h"

namespace fz::detect {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;
constexpr size_t kIdsPerLine = 4096;

std::string_view KindName(model::SubjectKind k) { return model::SubjectKindName(k); }

StatusOr<model::SubjectKind> ParseKind(const std::string& s) {
  if (s == "phone") return model::SubjectKind::kPhone;
  if (s == "account") return model::SubjectKind::kAccount;
  if (s == "id_no") return model::SubjectKind::kIdNo;
  return absl::InvalidArgumentError(StrCat("k: unknown subject kind '", s, "'"));
}

json SubjectToJson(const Detector::Impl& d, const std::string& subject, const SubjectState& s) {
  const model::FraudTypeRegistry& types = d.rules.fraud_types();
  json j = {{"s", subject},
            {"k", std::string(KindName(s.kind))},
            {"score", s.score},
            {"score_t", s.score_t_ms},
            {"has_score", s.has_score},
            {"newest", s.newest_t_ms},
            {"best", s.best_strength}};
  json ev = json::array();
  for (const WindowEntry& e : s.events) ev.push_back({e.t_ms, e.party, e.type, e.hit});
  j["ev"] = std::move(ev);
  json fi = json::array();
  for (const Firing& f : s.firings) {
    fi.push_back({f.t_ms, d.rules.rules()[static_cast<size_t>(f.rule)].id});
  }
  j["fi"] = std::move(fi);
  if (s.pending != nullptr && !s.pending->evidence.empty()) {
    model::Warning holder;  // carries pending evidence in the warning JSON layout
    holder.evidence = s.pending->evidence;
    j["pend"] = json::parse(WarningToJson(holder, types));
    j["pend_strength"] = s.pending->strength;
    json pend_types = json::array();
    for (const model::FraudType t : s.pending->types) pend_types.push_back(types.Info(t).code);
    j["pend_types"] = std::move(pend_types);
  }
  if (s.warning != nullptr) j["w"] = json::parse(WarningToJson(*s.warning, types));
  return j;
}

StatusOr<SubjectState> SubjectFromJson(const Detector::Impl& d, const json& j) {
  const model::FraudTypeRegistry& types = d.rules.fraud_types();
  SubjectState s;
  FZ_ASSIGN_OR_RETURN(s.kind, ParseKind(j.at("k").get<std::string>()));
  s.score = j.at("score").get<double>();
  s.score_t_ms = j.at("score_t").get<int64_t>();
  s.has_score = j.at("has_score").get<bool>();
  s.newest_t_ms = j.at("newest").get<int64_t>();
  s.best_strength = j.at("best").get<double>();
  for (const json& e : j.at("ev")) {
    s.events.push_back({e.at(0).get<int64_t>(), e.at(1).get<uint32_t>(), e.at(2).get<uint8_t>(),
                        e.at(3).get<uint8_t>()});
  }
  for (const json& f : j.at("fi")) {
    // Firings of rules that no longer exist are dropped: a new rule set starts them fresh.
    const int index = d.rules.FindRule(f.at(1).get<std::string>());
    if (index >= 0) s.firings.push_back({f.at(0).get<int64_t>(), index});
  }
  if (j.contains("pend")) {
    FZ_ASSIGN_OR_RETURN(model::Warning holder, WarningFromJson(j["pend"].dump(), types));
    s.pending = std::make_unique<PendingEvidence>();
    PendingEvidence& pending = *s.pending;
    pending.evidence = std::move(holder.evidence);
    pending.strength = j.at("pend_strength").get<std::vector<double>>();
    pending.strength.resize(pending.evidence.size(), 0);
    for (const json& code : j.at("pend_types")) {
      pending.types.push_back(
          types.Find(code.get<std::string>()).value_or(model::FraudTypeRegistry::kOther));
    }
    pending.types.resize(pending.evidence.size(), model::FraudTypeRegistry::kOther);
  }
  if (j.contains("w")) {
    FZ_ASSIGN_OR_RETURN(model::Warning w, WarningFromJson(j["w"].dump(), types));
    s.warning = std::make_unique<model::Warning>(std::move(w));
  }
  return s;
}

}  // namespace

void Detector::Impl::WriteCheckpoint(std::ostream& out) const {
  subjects.ForEach([&](const SubjectState& state) {
    out << SubjectToJson(*this, state.key, state)
               .dump(-1, ' ', false, json::error_handler_t::replace)
        << '\n';
  });
  std::vector<uint64_t> ids;
  const auto flush = [&] {
    if (ids.empty()) return;
    out << json({{"ids", ids}}).dump() << '\n';
    ids.clear();
  };
  seen_ids.ForEach([&](uint64_t id) {
    ids.push_back(id);
    if (ids.size() >= kIdsPerLine) flush();
  });
  flush();
}

Status Detector::Impl::LoadCheckpoint(const std::string& path, uint32_t shard, uint32_t shards) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot open checkpoint"));
  SubjectTable<SubjectState> loaded;
  absl::flat_hash_set<uint64_t> ids;
  int64_t watermark = 0;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const auto fail = [&](std::string_view message) {
      return absl::InvalidArgumentError(StrCat(path, ":", line_no, ": ", message));
    };
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail("invalid JSON");
    try {
      if (line_no == 1) {
        if (j.value("fanzha_detect_checkpoint", 0) != kVersion) {
          return fail("not a fanzha detect checkpoint (version 1)");
        }
        watermark = j.value("watermark_ms", int64_t{0});
        continue;
      }
      if (j.contains("ids")) {
        for (const json& id : j["ids"]) ids.insert(id.get<uint64_t>());
        continue;
      }
      const std::string subject = j.at("s").get<std::string>();
      const uint64_t hash = SubjectHash(subject);
      if (ShardOf(hash, shards) != shard) continue;
      StatusOr<SubjectState> state = SubjectFromJson(*this, j);
      if (!state.ok()) return fail(std::string(state.status().message()));
      // A subject listed twice keeps its last record, as the map this replaced did.
      uint32_t id = loaded.Find(subject, hash);
      if (id == kNoSubject) id = loaded.Insert(subject, hash);
      loaded[id] = std::move(state).value();
      loaded[id].key = subject;
      loaded[id].live = true;
    } catch (const json::exception& e) {
      return fail(StrCat("bad checkpoint record: ", e.what()));
    }
  }
  if (line_no == 0) return absl::InvalidArgumentError(StrCat(path, ": empty checkpoint"));
  subjects = std::move(loaded);
  seen_ids.Load(std::move(ids));
  watermark_ms = watermark;
  return absl::OkStatus();
}

namespace {
Status WriteHeader(std::ostream& out, int64_t watermark_ms) {
  out << json({{"fanzha_detect_checkpoint", kVersion}, {"watermark_ms", watermark_ms}}).dump()
      << '\n';
  return absl::OkStatus();
}
}  // namespace

Status Detector::SaveCheckpoint(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::UnavailableError(StrCat(tmp, ": cannot open for writing"));
    FZ_RETURN_IF_ERROR(WriteHeader(out, impl_->watermark_ms));
    impl_->WriteCheckpoint(out);
    out.flush();
    if (!out) return absl::DataLossError(StrCat(tmp, ": write failed"));
  }
  // Renamed into place so that a crash mid-write leaves the previous checkpoint intact.
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(StrCat(path, ": cannot rename checkpoint into place"));
  }
  return absl::OkStatus();
}

Status Detector::LoadCheckpoint(const std::string& path) {
  return impl_->LoadCheckpoint(path, 0, 1);
}

// Used by ParallelDetector: every shard appends to one file.
Status SaveShardedCheckpoint(const std::string& path,
                             const std::vector<const Detector::Impl*>& shards) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return absl::UnavailableError(StrCat(tmp, ": cannot open for writing"));
    int64_t watermark = 0;
    for (const auto* s : shards) watermark = std::max(watermark, s->watermark_ms);
    FZ_RETURN_IF_ERROR(WriteHeader(out, watermark));
    for (const auto* s : shards) s->WriteCheckpoint(out);
    out.flush();
    if (!out) return absl::DataLossError(StrCat(tmp, ": write failed"));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(StrCat(path, ": cannot rename checkpoint into place"));
  }
  return absl::OkStatus();
}

}  // namespace fz::detect
