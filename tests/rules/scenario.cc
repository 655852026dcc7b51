#include "scenario.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "fz/common/str_cat.h"
#include "fz/detect/detector.h"
#include "fz/detect/warning_json.h"
#include "fz/ingest/event_reader.h"
#include "fz/intel/intel_store.h"

namespace fz::detect::testing {
namespace {

struct Line {
  int no = 0;
  std::string text;
};

struct Scenario {
  int line = 0;
  std::string name;
  std::string rules_inline;  // TOML; empty = rules/default.toml
  std::vector<Line> intel, whitelist, people, events, expect;
};

std::string Trim(std::string s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<Scenario> ParseFile(const std::string& text) {
  std::vector<Scenario> out;
  std::istringstream in(text);
  std::string raw;
  int no = 0;
  std::string section;
  const auto current = [&]() -> Scenario& {
    if (out.empty()) out.push_back(Scenario{no, "(unnamed)"});
    return out.back();
  };
  while (std::getline(in, raw)) {
    ++no;
    const std::string line = Trim(raw);
    if (section == "rules" && line != "end") {
      // Inline TOML runs until a line "end"; comments are TOML's own.
      current().rules_inline += raw + "\n";
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("scenario:", 0) == 0) {
      out.push_back(Scenario{no, Trim(line.substr(9))});
      section.clear();
      continue;
    }
    if (line == "rules: default") {
      section.clear();
      continue;
    }
    if (line == "rules:") {
      section = "rules";
      current().rules_inline.clear();
      continue;
    }
    if (line == "end" && section == "rules") {
      section.clear();
      continue;
    }
    if (line == "intel:" || line == "whitelist:" || line == "people:" || line == "events:" ||
        line == "expect:") {
      section = line.substr(0, line.size() - 1);
      current();
      continue;
    }
    Scenario& s = current();
    const Line l{no, line};
    if (section == "intel") {
      s.intel.push_back(l);
    } else if (section == "whitelist") {
      s.whitelist.push_back(l);
    } else if (section == "people") {
      s.people.push_back(l);
    } else if (section == "events") {
      s.events.push_back(l);
    } else if (section == "expect") {
      s.expect.push_back(l);
    } else {
      s.expect.push_back({no, "!syntax " + line});
    }
  }
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Words(const std::string& line) {
  // Splits on spaces; "quoted text" stays one word (without quotes).
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      const size_t end = line.find('"', i + 1);
      out.push_back(line.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1));
      i = end == std::string::npos ? line.size() : end + 1;
    } else {
      const size_t end = line.find(' ', i);
      out.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
      i = end == std::string::npos ? line.size() : end;
    }
  }
  return out;
}

class Runner {
 public:
  Runner(const std::string& path, const std::string& source_dir, ScenarioResult* result)
      : path_(path), source_dir_(source_dir), result_(result) {}

  void Run(const Scenario& s);

 private:
  void Fail(int line, const std::string& message) {
    result_->failures.push_back(StrCat(path_, ":", line, ": ", message));
  }
  void Check(const Scenario& s, const Line& e, const std::vector<model::Warning>& warnings,
             const DetectorStats& stats);

  std::string path_;
  std::string source_dir_;
  ScenarioResult* result_;
  model::FraudTypeRegistry types_ = model::FraudTypeRegistry::WithBuiltins();
};

std::string Canonical(const std::vector<model::Warning>& ws, const model::FraudTypeRegistry& t) {
  std::string out;
  for (const auto& w : ws) StrAppend(&out, WarningToJson(w, t), "\n");
  return out;
}

void Runner::Run(const Scenario& s) {
  ++result_->scenarios;
  StatusOr<RuleSet> rules =
      s.rules_inline.empty()
          ? RuleSet::LoadFile(source_dir_ + "/rules/default.toml", types_)
          : RuleSet::Parse(s.rules_inline, StrCat(path_, "(inline rules)"), types_);
  if (!rules.ok()) return Fail(s.line, StrCat("rules: ", rules.status().message()));

  const std::string tmp =
      StrCat(std::filesystem::temp_directory_path().string(), "/fz_scn_", ::getpid(), "_", s.line);
  std::vector<std::string> intel_paths;
  if (!s.intel.empty()) {
    std::ofstream out(tmp + ".intel.csv");
    if (s.intel[0].text.rfind("kind,", 0) != 0) {
      out << "kind,value,fraud_type,source,confidence,expires_at\n";
    }
    for (const Line& l : s.intel) out << l.text << "\n";
    intel_paths.push_back(tmp + ".intel.csv");
  }
  std::vector<intel::RejectedIndicator> rejected;
  StatusOr<intel::IntelStore> intel =
      intel::IntelStore::LoadCsvFiles(intel_paths, types_, &rejected);
  if (!intel.ok()) return Fail(s.line, StrCat("intel: ", intel.status().message()));
  for (const auto& r : rejected) Fail(s.intel.front().no, StrCat("intel row rejected: ", r.reason));
  for (const Line& l : s.whitelist) {
    const size_t comma = l.text.find(',');
    const auto kind = model::ParseIndicatorKind(l.text.substr(0, comma));
    if (!kind || comma == std::string::npos) return Fail(l.no, "whitelist: expected kind,value");
    const Status st = intel->Whitelist(*kind, l.text.substr(comma + 1));
    if (!st.ok()) return Fail(l.no, StrCat("whitelist: ", st.message()));
  }
  std::optional<PeopleIndex> people;
  if (!s.people.empty()) {
    std::string csv;
    if (s.people[0].text.rfind("person_id", 0) != 0) {
      csv = "person_id,name,id_no,phones,address,unit_code,tags\n";
    }
    for (const Line& l : s.people) csv += l.text + "\n";
    std::vector<RejectedPerson> bad;
    StatusOr<PeopleIndex> p = PeopleIndex::ParseCsv(csv, "people", &bad);
    if (!p.ok()) return Fail(s.people.front().no, StrCat("people: ", p.status().message()));
    for (const auto& b : bad) Fail(s.people.front().no, StrCat("people row rejected: ", b.reason));
    people = std::move(p).value();
  }
  const PeopleIndex* people_ptr = people ? &*people : nullptr;

  ingest::ReadOptions options;
  options.fraud_types = &types_;
  std::vector<model::Event> events;
  for (const Line& l : s.events) {
    StatusOr<model::Event> e = ingest::ParseJsonEvent(l.text, options);
    if (!e.ok()) return Fail(l.no, StrCat("event: ", e.status().message()));
    events.push_back(std::move(e).value());
  }

  Detector single(*rules, *intel, people_ptr);
  for (const auto& e : events) single.Process(e);
  const std::vector<model::Warning> warnings = single.Warnings();
  const std::string expected = Canonical(warnings, types_);

  {  // Same answer on two threads.
    ParallelDetector parallel(*rules, *intel, people_ptr, 2);
    std::vector<model::Event> copy = events;
    parallel.Process(std::move(copy));
    if (Canonical(parallel.Warnings(), types_) != expected) {
      Fail(s.line, "ParallelDetector(2) disagrees with Detector");
    }
  }
  {  // Same answer across a checkpoint and restart half way.
    Detector first(*rules, *intel, people_ptr);
    const size_t half = events.size() / 2;
    for (size_t i = 0; i < half; ++i) first.Process(events[i]);
    const std::string ckpt = tmp + ".ckpt";
    Status st = first.SaveCheckpoint(ckpt);
    Detector second(*rules, *intel, people_ptr);
    if (st.ok()) st = second.LoadCheckpoint(ckpt);
    if (!st.ok()) {
      Fail(s.line, StrCat("checkpoint: ", st.message()));
    } else {
      for (size_t i = half; i < events.size(); ++i) second.Process(events[i]);
      if (Canonical(second.Warnings(), types_) != expected) {
        Fail(s.line, "checkpoint/restart run disagrees with the single run");
      }
    }
    std::remove(ckpt.c_str());
  }
  if (!intel_paths.empty()) std::remove(intel_paths[0].c_str());
  const DetectorStats stats = single.Stats();
  for (const Line& e : s.expect) Check(s, e, warnings, stats);
  if (s.expect.empty()) Fail(s.line, "scenario has no expect: lines");
}

void Runner::Check(const Scenario& s, const Line& e, const std::vector<model::Warning>& warnings,
                   const DetectorStats& stats) {
  (void)s;
  ++result_->expectations;
  const std::vector<std::string> w = Words(e.text);
  const auto find = [&](const std::string& subject) -> const model::Warning* {
    for (const auto& x : warnings) {
      if (x.subject == subject) return &x;
    }
    return nullptr;
  };
  const auto describe = [&](const model::Warning& x) { return WarningToJson(x, types_); };
  if (w.empty() || w[0] == "!syntax") return Fail(e.no, StrCat("cannot read line: ", e.text));
  if (w[0] == "warnings" && w.size() == 2) {
    if (std::to_string(warnings.size()) != w[1]) {
      Fail(e.no, StrCat("expected ", w[1], " warnings, got ", warnings.size()));
    }
    return;
  }
  if (w[0] == "duplicates" && w.size() == 2) {
    if (std::to_string(stats.duplicates) != w[1]) {
      Fail(e.no, StrCat("expected ", w[1], " duplicates, got ", stats.duplicates));
    }
    return;
  }
  if (w[0] == "no" && w.size() == 3 && w[1] == "warning") {
    if (const auto* x = find(w[2])) Fail(e.no, StrCat("unexpected warning: ", describe(*x)));
    return;
  }
  if (w.size() < 2) return Fail(e.no, StrCat("cannot read line: ", e.text));
  const model::Warning* x = find(w[1]);
  if (x == nullptr) return Fail(e.no, StrCat("no warning for ", w[1]));
  if (w[0] == "reason" && w.size() == 3) {
    for (const auto& ev : x->evidence) {
      if (ev.reason.find(w[2]) != std::string::npos) return;
    }
    return Fail(e.no, StrCat("no evidence reason contains \"", w[2], "\": ", describe(*x)));
  }
  if (w[0] == "upgrade" && w.size() >= 3) {
    const size_t arrow = w[2].find("->");
    const std::string from = w[2].substr(0, arrow);
    const std::string to = arrow == std::string::npos ? "" : w[2].substr(arrow + 2);
    const std::string rule = w.size() > 3 && w[3].rfind("rule=", 0) == 0 ? w[3].substr(5) : "";
    for (const auto& u : x->upgrades) {
      if (model::WarningLevelName(u.from) == from && model::WarningLevelName(u.to) == to &&
          (rule.empty() || u.rule_id == rule)) {
        return;
      }
    }
    return Fail(e.no, StrCat("no upgrade ", w[2], " ", rule, ": ", describe(*x)));
  }
  if (w[0] != "warning") return Fail(e.no, StrCat("unknown expectation '", w[0], "'"));
  for (size_t i = 2; i < w.size(); ++i) {
    const size_t eq = w[i].find('=');
    const std::string key = w[i].substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : w[i].substr(eq + 1);
    std::string got;
    bool ok = true;
    if (key == "level") {
      got = model::WarningLevelName(x->level);
      ok = got == value;
    } else if (key == "fraud_type") {
      got = types_.Info(x->fraud_type).code;
      ok = got == value;
    } else if (key == "kind") {
      got = model::SubjectKindName(x->subject_kind);
      ok = got == value;
    } else if (key == "rules") {
      for (const auto& r : x->rule_ids) StrAppend(&got, got.empty() ? "" : ",", r);
      size_t p = 0;
      while (ok && p <= value.size()) {
        const size_t c = value.find(',', p);
        const std::string want =
            value.substr(p, c == std::string::npos ? std::string::npos : c - p);
        ok = std::find(x->rule_ids.begin(), x->rule_ids.end(), want) != x->rule_ids.end();
        if (c == std::string::npos) break;
        p = c + 1;
      }
    } else if (key == "evidence") {
      got = std::to_string(x->evidence.size());
      ok = got == value;
    } else if (key == "upgrades") {
      got = std::to_string(x->upgrades.size());
      ok = got == value;
    } else if (key == "indicator") {
      ok = false;
      for (const auto& ev : x->evidence) ok |= ev.indicator == value;
      got = "(none matching)";
    } else {
      return Fail(e.no, StrCat("unknown key '", key, "'"));
    }
    if (!ok) Fail(e.no, StrCat(key, ": expected ", value, ", got ", got, ": ", describe(*x)));
  }
}

}  // namespace

ScenarioResult RunScenarioFile(const std::string& path, const std::string& source_dir) {
  ScenarioResult result;
  const std::string text = ReadAll(path);
  if (text.empty()) {
    result.failures.push_back(StrCat(path, ":1: empty or unreadable scenario file"));
    return result;
  }
  Runner runner(std::filesystem::relative(path, source_dir).string(), source_dir, &result);
  for (const Scenario& s : ParseFile(text)) runner.Run(s);
  return result;
}

}  // namespace fz::detect::testing
