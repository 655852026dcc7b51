// The synthetic city's residents: phones, age, sex, home station, bank card and device, and
// the high-risk base (高危易受骗群体库) written as people.csv.
//
//   FZ_ASSIGN_OR_RETURN(Population city, Population::Build(plan, 200000, seed));
//   const Resident& r = city.residents()[i];   // r.phone is what feeds write
//   city.WritePeopleCsv(out_dir + "/people.csv");
//
// Memory is O(residents) (~150 bytes each); names, ID numbers, addresses and IMEIs are derived
// from (seed, index) on demand. Immutable after Build; const methods are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/gen/numbers.h"

namespace fz::gen {

// High-risk tags of docs/formats.md "People", as bits.
enum RiskTag : uint8_t {
  kElderlyAlone = 1 << 0,
  kStudent = 1 << 1,
  kUnemployed = 1 << 2,
  kLoanSeeker = 1 << 3,
  kInvestor = 1 << 4,
  kPriorVictim = 1 << 5,
  kFinanceStaff = 1 << 6,
  kSingleWithSavings = 1 << 7,
};
inline constexpr std::array<std::string_view, 8> kRiskTagNames = {
    "elderly_alone", "student",      "unemployed",    "loan_seeker",
    "investor",      "prior_victim", "finance_staff", "single_with_savings"};

struct Station {
  std::string unit_code;  // the township code the seed uses for the station
  std::string county_code;
  std::string county_name;
  std::string township_name;
};

struct Resident {
  std::string phone;    // national form: "13895101234", "09515012345"
  std::string account;  // main bank card
  uint16_t station = 0;
  uint8_t age = 0;
  uint8_t tags = 0;  // RiskTag bits; non-zero means "in the high-risk base"
  bool male = false;
};

enum class AgeBand { kTeen, kYoung, kMiddle, kSenior };  // 14-17, 18-40, 41-65, 66+

class Population {
 public:
  // Residents' main numbers: ~83% Yinchuan mobiles, ~12% other cities' mobiles (people who
  // moved here), ~5% 0951 landlines (mostly the elderly). All numbers are distinct.
  static StatusOr<Population> Build(const NumberPlan& plan, int64_t residents, uint64_t seed);

  const std::vector<Resident>& residents() const { return residents_; }
  const std::vector<Station>& stations() const { return stations_; }
  const std::vector<uint32_t>& Band(AgeBand band) const {
    return bands_[static_cast<size_t>(band)];
  }
  const std::vector<uint32_t>& base() const { return base_; }  // high-risk base members
  // Numbers outside the city (other cities' mobiles) that residents talk to.
  const std::vector<std::string>& outsiders() const { return outsiders_; }
  const std::vector<std::string>& merchant_accounts() const { return merchants_; }

  std::string PersonId(size_t i) const;  // "R0001234"
  std::string Name(size_t i) const;
  std::string IdNumber(size_t i) const;
  std::string Address(size_t i) const;
  std::string Imei(size_t i) const;
  std::string CellId(size_t i) const;  // the resident's usual serving cell

  // The high-risk base as docs/formats.md "People"; returns bytes written.
  StatusOr<int64_t> WritePeopleCsv(const std::string& path) const;

 private:
  Status LoadStations();
  void AssignTags(Rng& rng, Resident& r) const;

  uint64_t seed_ = 0;
  std::vector<Resident> residents_;
  std::vector<Station> stations_;
  std::vector<std::vector<uint16_t>> stations_by_county_;
  std::array<std::vector<uint32_t>, 4> bands_;
  std::vector<uint32_t> base_;
  std::vector<std::string> outsiders_;
  std::vector<std::string> merchants_;
};

// A plausible Chinese name (Ningxia: Hui surnames such as 马, 丁, 海 are common).
std::string RandomName(Rng& rng);

}  // namespace fz::gen
