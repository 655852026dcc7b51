// Realistic identifiers for the synthetic city: phone numbers that geocode where they should,
// resident ID numbers with valid check digits, Luhn-valid bank cards on real BINs, IMEIs.
//
//   FZ_ASSIGN_OR_RETURN(NumberPlan plan, NumberPlan::Probe(seed));
//   std::string mobile = plan.YinchuanMobile(rng);   // "1389510xxxx", geocodes to 640100
//   std::string card = plan.Card(BankUse::kLocal, rng);
//
// Numbers are written the way feeds write them (national form: "13895101234",
// "09515012345"; international with "+"); E164() gives the canonical form the detector keys
// on. A NumberPlan is immutable after Probe and safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/gen/rng.h"

namespace fz::gen {

enum class BankUse { kLocal, kNational, kMule };

struct CardBin {
  std::string bin;
  std::string bank_code;
  int length = 0;
};

class NumberPlan {
 public:
  // Finds, through fz/normalize, the mobile prefixes (号段, first 7 digits) that geocode to
  // Yinchuan and to other cities, the Yinchuan landline shapes, and checks the bank BINs.
  // Fails when the normalizer's data yields no Yinchuan prefix (a broken build).
  static StatusOr<NumberPlan> Probe(uint64_t seed);

  std::string YinchuanMobile(Rng& rng) const;
  std::string YinchuanLandline(Rng& rng) const;  // "0951" + 7 digits
  std::string OtherCityMobile(Rng& rng) const;
  std::string VirtualOperatorMobile(Rng& rng) const;  // 170/171/165/167 (虚商), other cities
  // International numbers of fraud hubs (+855, +63, +95, +60, +856, +66, +84) or of countries
  // where residents' relatives live (+1, +81, +82, +61, +44, +971, +65, +60).
  std::string FraudHubInternational(Rng& rng) const;
  std::string RelativeAbroadInternational(Rng& rng) const;

  std::string Card(BankUse use, Rng& rng) const;  // Luhn-valid, length of its BIN
  static std::string Imei(Rng& rng);              // 15 digits, Luhn-valid, common TACs

  const std::vector<std::string>& yinchuan_prefixes() const { return yinchuan_prefixes_; }
  const std::vector<std::string>& other_city_prefixes() const { return other_prefixes_; }

 private:
  std::vector<std::string> yinchuan_prefixes_;
  std::vector<std::string> other_prefixes_;
  std::vector<std::string> virtual_prefixes_;
  std::vector<char> landline_first_digits_;
  std::vector<CardBin> local_bins_, national_bins_;
};

// "+8613895101234" for "13895101234", "+869515012345" for "09515012345", unchanged for "+...".
std::string E164(std::string_view national_or_international);

// A resident ID number: county code, birth date, 3-digit sequence (odd = male), check digit.
std::string MakeIdNumber(std::string_view county6, int year, int month, int day, int sequence);

// Appends the Luhn check digit to `body`.
std::string WithLuhnDigit(std::string body);

}  // namespace fz::gen
