#include "fz/gen/population.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unordered_set>

#include "fz/common/str_cat.h"
#include "fz/normalize/divisions.h"
#include "fz/units/yinchuan_seed.h"

namespace fz::gen {
namespace {

enum Stream : uint64_t { kResidents = 1, kIdentity = 2, kOutsiders = 3 };

constexpr int kReferenceYear = 2026;

// Share of residents per county (兴庆, 西夏, 金凤, 永宁, 贺兰, 灵武), roughly by population.
constexpr std::array<std::pair<std::string_view, double>, 6> kCountyShares = {{
    {"640104", 0.28},
    {"640105", 0.20},
    {"640106", 0.24},
    {"640121", 0.09},
    {"640122", 0.10},
    {"640181", 0.09},
}};

constexpr std::array<std::string_view, 40> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "马", "赵", "黄", "周", "吴", "徐", "孙", "胡",
    "朱", "高", "林", "何", "郭", "罗", "丁", "田", "海", "纳", "金", "白", "冯", "韩",
    "杜", "苏", "郑", "梁", "宋", "唐", "许", "邓", "曹", "彭", "曾", "萧"};
constexpr std::array<double, 40> kSurnameWeights = {
    7.2, 7.0, 6.8, 5.4, 4.6, 3.1, 4.0, 2.3, 1.9, 1.8, 1.6, 1.5, 1.4, 1.3,
    1.2, 1.2, 1.1, 1.1, 1.0, 1.0, 1.2, 0.9, 0.6, 0.5, 0.6, 0.6, 0.6, 0.6,
    0.5, 0.5, 0.6, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.2};
constexpr std::array<std::string_view, 48> kGivenChars = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "建", "国", "文", "辉", "鹏", "宁",
    "海", "福", "志", "红", "燕", "梅", "琴", "斌", "亮", "晨", "瑞", "欣", "佳", "浩", "宇", "萍"};
constexpr std::array<std::string_view, 16> kCommunities = {
    "阅海万家", "丽景湾",     "民生花园", "宝湖湾", "塞上骄子", "北京中路小区",
    "凤凰城",   "兴庆府大院", "金凤小区", "丰庆园", "朔方家园", "湖畔嘉苑",
    "西夏嘉苑", "怀远小区",   "宁华小区", "康居苑"};

// Age of a phone-owning resident: 14-17 4%, 18-24 10%, 25-40 32%, 41-65 40%, 66-90 14%.
int DrawAge(Rng& rng) {
  constexpr std::array<double, 5> kShares = {0.04, 0.10, 0.32, 0.40, 0.14};
  constexpr std::array<std::pair<int, int>, 5> kRanges = {
      {{14, 17}, {18, 24}, {25, 40}, {41, 65}, {66, 90}}};
  auto [lo, hi] = kRanges[rng.Weighted(kShares)];
  return static_cast<int>(rng.Range(lo, hi));
}

AgeBand BandOf(int age) {
  if (age < 18) return AgeBand::kTeen;
  if (age <= 40) return AgeBand::kYoung;
  if (age <= 65) return AgeBand::kMiddle;
  return AgeBand::kSenior;
}

}  // namespace

std::string RandomName(Rng& rng) {
  std::string name(kSurnames[rng.Weighted(kSurnameWeights)]);
  name += rng.Pick(kGivenChars);
  if (rng.Chance(0.7)) name += rng.Pick(kGivenChars);
  return name;
}

Status Population::LoadStations() {
  const normalize::DivisionTable& divisions = normalize::DivisionTable::Builtin();
  FZ_ASSIGN_OR_RETURN(units::UnitTree tree, units::YinchuanSeed());
  for (const auto& [county_code, share] : kCountyShares) {
    const normalize::Division* county = divisions.Find(county_code);
    if (county == nullptr) return absl::InternalError(StrCat("no division ", county_code));
    std::vector<uint16_t> ids;
    for (const model::Unit* unit : tree.Children(model::UnitCode(std::string(county_code)))) {
      const normalize::Division* township = divisions.Find(unit->division_code);
      ids.push_back(static_cast<uint16_t>(stations_.size()));
      stations_.push_back({unit->code.value(), std::string(county_code), county->name,
                           township == nullptr ? unit->name : township->name});
    }
    if (ids.empty()) return absl::InternalError(StrCat("no station under ", county_code));
    stations_by_county_.push_back(std::move(ids));
  }
  return absl::OkStatus();
}

void Population::AssignTags(Rng& rng, Resident& r) const {
  // About 3% of residents end up in the base; the shares follow DOMAIN.md's groups.
  const int a = r.age;
  if (a >= 66 && rng.Chance(0.08)) r.tags |= kElderlyAlone;
  if (a >= 18 && a <= 24 && rng.Chance(0.10)) r.tags |= kStudent;
  if (a >= 25 && a <= 60 && rng.Chance(0.012)) r.tags |= kUnemployed;
  if (a >= 22 && a <= 55 && rng.Chance(0.010)) r.tags |= kLoanSeeker;
  if (a >= 30 && a <= 65 && rng.Chance(0.008)) r.tags |= kInvestor;
  if (a >= 18 && rng.Chance(0.003)) r.tags |= kPriorVictim;
  if (a >= 25 && a <= 55 && rng.Chance(0.005)) r.tags |= kFinanceStaff;
  if (a >= 30 && a <= 60 && rng.Chance(0.004)) r.tags |= kSingleWithSavings;
}

StatusOr<Population> Population::Build(const NumberPlan& plan, int64_t residents, uint64_t seed) {
  if (residents < 100 || residents > 50'000'000) {
    return absl::InvalidArgumentError("--people must be between 100 and 50000000");
  }
  Population pop;
  pop.seed_ = seed;
  FZ_RETURN_IF_ERROR(pop.LoadStations());
  Rng rng = Rng::ForStream(seed, kResidents);
  std::unordered_set<std::string> used;
  used.reserve(static_cast<size_t>(residents) * 2);
  pop.residents_.resize(static_cast<size_t>(residents));
  std::array<double, 6> county_weights{};
  for (size_t c = 0; c < kCountyShares.size(); ++c) county_weights[c] = kCountyShares[c].second;
  for (size_t i = 0; i < pop.residents_.size(); ++i) {
    Resident& r = pop.residents_[i];
    r.age = static_cast<uint8_t>(DrawAge(rng));
    r.male = rng.Chance(0.51);
    r.station = rng.Pick(pop.stations_by_county_[rng.Weighted(county_weights)]);
    const double landline_share = r.age >= 66 ? 0.25 : 0.02;
    do {
      double x = rng.Unit();
      r.phone = x < landline_share          ? plan.YinchuanLandline(rng)
                : x < landline_share + 0.12 ? plan.OtherCityMobile(rng)
                                            : plan.YinchuanMobile(rng);
    } while (!used.insert(r.phone).second);
    r.account = plan.Card(rng.Chance(0.35) ? BankUse::kLocal : BankUse::kNational, rng);
    pop.AssignTags(rng, r);
    pop.bands_[static_cast<size_t>(BandOf(r.age))].push_back(static_cast<uint32_t>(i));
    if (r.tags != 0) pop.base_.push_back(static_cast<uint32_t>(i));
  }
  Rng out_rng = Rng::ForStream(seed, kOutsiders);
  const size_t outsiders = std::max<size_t>(2000, pop.residents_.size() / 10);
  while (pop.outsiders_.size() < outsiders) {
    std::string number = out_rng.Chance(0.9) ? plan.OtherCityMobile(out_rng)
                                             : plan.YinchuanLandline(out_rng);  // shops, offices
    if (used.insert(number).second) pop.outsiders_.push_back(std::move(number));
  }
  for (size_t i = 0; i < std::max<size_t>(500, pop.residents_.size() / 200); ++i) {
    pop.merchants_.push_back(plan.Card(BankUse::kNational, out_rng));
  }
  return pop;
}

std::string Population::PersonId(size_t i) const {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "R%07zu", i);
  return buf;
}

std::string Population::Name(size_t i) const {
  Rng rng = Rng::ForStream(seed_, kIdentity, i);
  return RandomName(rng);
}

std::string Population::IdNumber(size_t i) const {
  const Resident& r = residents_[i];
  Rng rng = Rng::ForStream(seed_, kIdentity + 300, i);
  // Most residents were registered where they live; some elsewhere in Yinchuan.
  std::string county = rng.Chance(0.8) ? stations_[r.station].county_code
                                       : std::string(rng.Pick(kCountyShares).first);
  const int year = kReferenceYear - r.age - (rng.Chance(0.5) ? 1 : 0);
  const int month = static_cast<int>(rng.Range(1, 12));
  const int day = static_cast<int>(rng.Range(1, 28));
  int seq = static_cast<int>(rng.Range(0, 499)) * 2 + (r.male ? 1 : 0);
  return MakeIdNumber(county, year, month, day, seq);
}

std::string Population::Address(size_t i) const {
  const Station& s = stations_[residents_[i].station];
  Rng rng = Rng::ForStream(seed_, kIdentity + 100, i);
  return StrCat("银川市", s.county_name, s.township_name, rng.Pick(kCommunities), rng.Range(1, 30),
                "号楼", rng.Range(1, 4), "单元", rng.Range(1, 28), "0", rng.Range(1, 4), "室");
}

std::string Population::Imei(size_t i) const {
  Rng rng = Rng::ForStream(seed_, kIdentity + 200, i);
  return NumberPlan::Imei(rng);
}

std::string Population::CellId(size_t i) const {
  // 46000-<LAC>-<cell>: one location area per station, a few cells per area.
  const uint16_t station = residents_[i].station;
  return StrCat("46000-", 9510 + station, "-", 10000 + station * 16 + Mix64(i) % 12);
}

StatusOr<int64_t> Population::WritePeopleCsv(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  if (!out) return absl::UnavailableError(StrCat("cannot write ", path));
  std::string text = "person_id,name,id_no,phones,address,unit_code,tags\n";
  for (uint32_t i : base_) {
    const Resident& r = residents_[i];
    std::string tags;
    for (size_t b = 0; b < kRiskTagNames.size(); ++b) {
      if (r.tags & (1u << b)) StrAppend(&tags, tags.empty() ? "" : ";", kRiskTagNames[b]);
    }
    StrAppend(&text, PersonId(i), ",", Name(i), ",", IdNumber(i), ",", E164(r.phone), ",",
              Address(i), ",", stations_[r.station].unit_code, ",", tags, "\n");
  }
  out << text;
  if (!out) return absl::UnavailableError(StrCat("cannot write ", path));
  return static_cast<int64_t>(text.size());
}

}  // namespace fz::gen
