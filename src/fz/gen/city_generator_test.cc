#include "fz/gen/city_generator.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/time/civil_time.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace fz::gen {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Canonical(const std::string& phone) {
  StatusOr<normalize::PhoneInfo> info = normalize::NormalizePhone(phone);
  return info.ok() ? info->canonical : "bad:" + phone;
}

class CityTest : public ::testing::Test {
 protected:
  static fs::path Generate(const std::string& name, uint64_t seed) {
    fs::path dir = fs::temp_directory_path() / ("fz_gen_test_" + name);
    fs::remove_all(dir);
    GenOptions options{
        .people = 3000, .days = 2, .seed = seed, .out_dir = dir.string(), .victim_rate = 0.004};
    StatusOr<GenSummary> summary = GenerateCity(options);
    EXPECT_TRUE(summary.ok()) << summary.status();
    if (summary.ok()) summaries()[name] = *summary;
    return dir;
  }
  static std::map<std::string, GenSummary>& summaries() {
    static auto* map = new std::map<std::string, GenSummary>();
    return *map;
  }
  static std::map<std::string, std::string> Files(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = ReadFile(e.path());
    }
    return files;
  }
  static void SetUpTestSuite() {
    a_ = Generate("a", 7);
    b_ = Generate("b", 7);
    c_ = Generate("c", 8);
  }
  static inline fs::path a_, b_, c_;
};

TEST_F(CityTest, SameSeedGivesIdenticalBytesOtherSeedDiffers) {
  auto a = Files(a_), b = Files(b_), c = Files(c_);
  ASSERT_GT(a.size(), 10u);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, text] : a) EXPECT_TRUE(text == b[name]) << name;
  EXPECT_NE(a["truth.jsonl"], c["truth.jsonl"]);
  EXPECT_NE(a["events/call_20261123.jsonl"], c["events/call_20261123.jsonl"]);
}

TEST_F(CityTest, EveryEventLineHasTheDocumentedFieldsAndFilesAreSorted) {
  const std::map<std::string, std::vector<std::string>> required = {
      {"call", {"caller", "callee", "duration_s"}},
      {"sms", {"sender", "receiver", "text"}},
      {"net", {"subscriber", "domain"}},
      {"app", {"subscriber", "app_id", "action"}},
      {"transfer", {"payer_account", "payee_account", "amount"}},
      {"directive", {"directive_id", "subject_phone", "level", "fraud_type"}},
      {"report", {"reporter", "fraud_type", "loss"}}};
  std::set<std::string> ids;
  int64_t lines = 0;
  for (const auto& entry : fs::directory_iterator(a_ / "events")) {
    std::string prev_ts;
    for (const std::string& line : Lines(ReadFile(entry.path()))) {
      json j = json::parse(line, nullptr, false);
      ASSERT_TRUE(j.is_object()) << entry.path() << ": " << line;
      const std::string type = j.at("type");
      ASSERT_TRUE(required.count(type)) << type;
      EXPECT_EQ(entry.path().filename().string().rfind(type + "_", 0), 0u);
      for (const std::string& field : required.at(type)) {
        EXPECT_TRUE(j.contains(field)) << type << " lacks " << field << ": " << line;
      }
      for (const char* phone : {"caller", "callee", "sender", "receiver", "subscriber",
                                "payer_phone", "subject_phone", "reporter"}) {
        if (j.contains(phone)) {
          EXPECT_TRUE(normalize::NormalizePhone(j[phone].get<std::string>()).ok()) << line;
        }
      }
      // Sorted by time within a file (transfers carry epoch ms, the rest ISO text of one
      // offset, both of which sort as written).
      const std::string ts =
          j["ts"].is_number() ? std::to_string(j["ts"].get<int64_t>()) : j["ts"].get<std::string>();
      EXPECT_LE(prev_ts, ts) << entry.path();
      prev_ts = ts;
      ids.insert(j["id"].get<std::string>());
      ++lines;
    }
  }
  EXPECT_EQ(static_cast<int64_t>(ids.size()), summaries()["a"].events);
  EXPECT_EQ(lines, summaries()["a"].events + summaries()["a"].duplicates);
}

TEST_F(CityTest, PeopleHaveValidIdsAndYinchuanUnits) {
  const auto lines = Lines(ReadFile(a_ / "people.csv"));
  ASSERT_GT(lines.size(), 20u);
  EXPECT_EQ(lines[0], "person_id,name,id_no,phones,address,unit_code,tags");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f;
    std::stringstream in(lines[i]);
    for (std::string field; std::getline(in, field, ',');) f.push_back(field);
    ASSERT_EQ(f.size(), 7u) << lines[i];
    StatusOr<normalize::IdCardInfo> id =
        normalize::NormalizeIdCard(f[2], absl::CivilDay(2026, 11, 23));
    ASSERT_TRUE(id.ok()) << f[2] << ": " << id.status();
    EXPECT_EQ(id->division_code.substr(0, 4), "6401");
    EXPECT_GE(id->age, 13);
    EXPECT_EQ(f[5].substr(0, 4), "6401");
    EXPECT_FALSE(f[6].empty());
  }
}

TEST_F(CityTest, EachVictimsFirstLossIsATransferFromTheirPhone) {
  // (ts, canonical payer phone) of every transfer.
  std::set<std::pair<std::string, std::string>> transfers;
  for (const auto& entry : fs::directory_iterator(a_ / "events")) {
    if (entry.path().filename().string().rfind("transfer_", 0) != 0) continue;
    for (const std::string& line : Lines(ReadFile(entry.path()))) {
      json j = json::parse(line);
      if (!j.contains("payer_phone")) continue;
      transfers.emplace(std::to_string(j["ts"].get<int64_t>()),
                        Canonical(j["payer_phone"].get<std::string>()));
    }
  }
  int victims = 0, targeted = 0;
  for (const std::string& line : Lines(ReadFile(a_ / "truth.jsonl"))) {
    json j = json::parse(line);
    if (j["kind"] == "targeted") {
      ++targeted;
      continue;
    }
    ASSERT_EQ(j["kind"], "victim");
    if (j["first_loss_ts"].is_null()) continue;
    ++victims;
    const std::string loss = j["first_loss_ts"];  // "2026-11-23T09:30:00+08:00"
    const absl::CivilSecond cs(std::stoi(loss.substr(0, 4)), std::stoi(loss.substr(5, 2)),
                               std::stoi(loss.substr(8, 2)), std::stoi(loss.substr(11, 2)),
                               std::stoi(loss.substr(14, 2)), std::stoi(loss.substr(17, 2)));
    const int64_t ms = absl::ToUnixMillis(absl::FromCivil(cs, absl::FixedTimeZone(8 * 3600)));
    EXPECT_TRUE(transfers.count({std::to_string(ms), j["subject"].get<std::string>()})) << line;
    EXPECT_LE(j["first_fraud_contact_ts"].get<std::string>(), loss);
  }
  EXPECT_GT(victims, 5);
  EXPECT_GT(targeted, victims);  // gangs contact many more than they defraud
}

TEST_F(CityTest, IntelCoversOnlyPartOfTheGangs) {
  const IntelStats& intel = summaries()["a"].intel;
  EXPECT_GT(intel.gang_listed, intel.gang_resources / 4);
  EXPECT_LT(intel.gang_listed, intel.gang_resources * 3 / 4);
  EXPECT_GT(intel.listed_expired, 0);
  EXPECT_GT(intel.false_entries, 0);
  EXPECT_EQ(Lines(ReadFile(a_ / "intel.csv"))[0],
            "kind,value,fraud_type,source,confidence,expires_at");
}

}  // namespace
}  // namespace fz::gen
