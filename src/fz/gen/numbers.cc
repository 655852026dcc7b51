#include "fz/gen/numbers.h"

#include <array>
#include <cstdio>
#include <span>

#include "fz/common/str_cat.h"
#include "fz/normalize/bank_card.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/phone_normalizer.h"

namespace fz::gen {
namespace {

constexpr std::string_view kYinchuanCity = "640100";

// Mobile blocks (first three digits) in use in China.
constexpr std::array<int, 41> kMobileBlocks = {
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 150, 151,
    152, 153, 155, 156, 157, 158, 159, 166, 173, 175, 176, 177, 178, 180,
    181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 198, 199, 195};
constexpr std::array<int, 5> kVirtualBlocks = {170, 171, 165, 167, 162};

// Real BINs (data/bank_bins); Probe keeps those the table confirms.
constexpr std::array<std::string_view, 5> kLocalBins = {"621417", "621529", "622429", "623089",
                                                        "622947"};
constexpr std::array<std::string_view, 12> kNationalBins = {"622202", "621226", "621700", "622280",
                                                            "622700", "622848", "622841", "621661",
                                                            "621759", "622262", "622588", "621799"};

// Type approval codes of common handsets (first 8 IMEI digits).
constexpr std::array<std::string_view, 8> kTacs = {"86891203", "86753104", "35391110", "86644303",
                                                   "86973104", "35465210", "86401805", "86220504"};

std::string Digits(Rng& rng, int n) {
  std::string s;
  s.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
  return s;
}

bool ProbeCity(const normalize::PhoneNormalizer& pn, const std::string& number,
               normalize::PhoneKey* key) {
  return pn.NormalizeKey(number, key).ok() && key->valid;
}

Status ProbeBins(std::span<const std::string_view> bins, std::vector<CardBin>* out) {
  const normalize::BankBinTable& table = normalize::BankBinTable::Builtin();
  for (std::string_view bin : bins) {
    const normalize::BankBin* match = table.Match(std::string(bin) + "0000000000000");
    if (match == nullptr || match->bin != bin) continue;
    out->push_back({std::string(bin), match->bank_code, match->card_length});
  }
  if (out->empty()) return absl::InternalError("no bank BIN of the generator is in the table");
  return absl::OkStatus();
}

}  // namespace

StatusOr<NumberPlan> NumberPlan::Probe(uint64_t seed) {
  const normalize::PhoneNormalizer& pn = normalize::PhoneNormalizer::Default();
  normalize::PhoneKey key;
  NumberPlan plan;
  // Yinchuan's 号段 mostly read 1XX95YY (the 0951 area code inside the prefix): probe those.
  for (int block : kMobileBlocks) {
    for (int yy = 0; yy < 100; ++yy) {
      std::string prefix =
          StrCat(block, "95", static_cast<char>('0' + yy / 10), static_cast<char>('0' + yy % 10));
      if (ProbeCity(pn, prefix + "0000", &key) && key.city_code() == kYinchuanCity) {
        plan.yinchuan_prefixes_.push_back(prefix);
      }
    }
  }
  if (plan.yinchuan_prefixes_.empty()) {
    return absl::InternalError("no mobile prefix geocodes to Yinchuan (640100)");
  }
  Rng rng = Rng::ForStream(seed, 0x9e7);
  for (int i = 0; i < 400 && plan.other_prefixes_.size() < 150; ++i) {
    std::string prefix = StrCat(rng.Pick(kMobileBlocks), Digits(rng, 4));
    if (ProbeCity(pn, prefix + "0000", &key) && !key.city_code().empty() &&
        key.city_code() != kYinchuanCity) {
      plan.other_prefixes_.push_back(prefix);
    }
  }
  for (int i = 0; i < 200 && plan.virtual_prefixes_.size() < 30; ++i) {
    std::string prefix = StrCat(rng.Pick(kVirtualBlocks), Digits(rng, 4));
    if (pn.NormalizeKey(prefix + "0000", &key).ok() && key.city_code() != kYinchuanCity) {
      plan.virtual_prefixes_.push_back(prefix);
    }
  }
  for (char d = '2'; d <= '8'; ++d) {
    if (ProbeCity(pn, StrCat("0951", d, "012345"), &key) && key.city_code() == kYinchuanCity) {
      plan.landline_first_digits_.push_back(d);
    }
  }
  if (plan.other_prefixes_.empty() || plan.virtual_prefixes_.empty() ||
      plan.landline_first_digits_.empty()) {
    return absl::InternalError("phone probing found no other-city, virtual or landline shape");
  }
  FZ_RETURN_IF_ERROR(ProbeBins(kLocalBins, &plan.local_bins_));
  FZ_RETURN_IF_ERROR(ProbeBins(kNationalBins, &plan.national_bins_));
  return plan;
}

std::string NumberPlan::YinchuanMobile(Rng& rng) const {
  return rng.Pick(yinchuan_prefixes_) + Digits(rng, 4);
}

std::string NumberPlan::YinchuanLandline(Rng& rng) const {
  return StrCat("0951", rng.Pick(landline_first_digits_), Digits(rng, 6));
}

std::string NumberPlan::OtherCityMobile(Rng& rng) const {
  return rng.Pick(other_prefixes_) + Digits(rng, 4);
}

std::string NumberPlan::VirtualOperatorMobile(Rng& rng) const {
  return rng.Pick(virtual_prefixes_) + Digits(rng, 4);
}

std::string NumberPlan::FraudHubInternational(Rng& rng) const {
  switch (rng.Below(8)) {
    case 0:
    case 1:
      return StrCat("+855", rng.Pick(std::array<std::string_view, 4>{"12", "17", "92", "96"}),
                    Digits(rng, 6));
    case 2:
      return StrCat("+639", rng.Pick(std::array<std::string_view, 4>{"17", "18", "27", "98"}),
                    Digits(rng, 7));
    case 3:
      return StrCat("+959", rng.Pick(std::array<std::string_view, 3>{"45", "69", "78"}),
                    Digits(rng, 6));
    case 4:
      return StrCat("+601", rng.Pick(std::array<std::string_view, 4>{"2", "6", "7", "9"}),
                    Digits(rng, 7));
    case 5:
      return StrCat("+85620", rng.Pick(std::array<std::string_view, 3>{"5", "7", "9"}),
                    Digits(rng, 7));
    case 6:
      return StrCat("+668", rng.Pick(std::array<std::string_view, 4>{"1", "6", "8", "9"}),
                    Digits(rng, 7));
    default:
      return StrCat("+849", rng.Pick(std::array<std::string_view, 4>{"0", "1", "3", "8"}),
                    Digits(rng, 7));
  }
}

std::string NumberPlan::RelativeAbroadInternational(Rng& rng) const {
  switch (rng.Below(10)) {
    case 0:
    case 1:
      return StrCat("+1", rng.Pick(std::array<std::string_view, 4>{"212", "415", "626", "718"}),
                    static_cast<char>('2' + rng.Below(8)), Digits(rng, 6));
    case 2:
      return StrCat("+8190", Digits(rng, 8));
    case 3:
      return StrCat("+8210", Digits(rng, 8));
    case 4:
      return StrCat("+614", Digits(rng, 8));
    case 5:
      return StrCat("+447", rng.Pick(std::array<std::string_view, 3>{"4", "7", "9"}),
                    Digits(rng, 8));
    case 6:
      return StrCat("+9715", rng.Pick(std::array<std::string_view, 3>{"0", "2", "5"}),
                    Digits(rng, 7));
    case 7:
      return StrCat("+65", rng.Pick(std::array<std::string_view, 2>{"8", "9"}), Digits(rng, 7));
    case 8:
      return StrCat("+601", rng.Pick(std::array<std::string_view, 3>{"2", "6", "7"}),
                    Digits(rng, 7));
    default:
      return StrCat("+49151", Digits(rng, 7));
  }
}

std::string NumberPlan::Card(BankUse use, Rng& rng) const {
  const std::vector<CardBin>& bins =
      use == BankUse::kLocal ? local_bins_ : national_bins_;  // mules use national banks
  const CardBin& bin = rng.Pick(bins);
  std::string body = bin.bin + Digits(rng, bin.length - 1 - static_cast<int>(bin.bin.size()));
  return WithLuhnDigit(std::move(body));
}

std::string NumberPlan::Imei(Rng& rng) {
  return WithLuhnDigit(std::string(rng.Pick(kTacs)) + Digits(rng, 6));
}

std::string E164(std::string_view number) {
  if (!number.empty() && number.front() == '+') return std::string(number);
  if (!number.empty() && number.front() == '0') return StrCat("+86", number.substr(1));
  return StrCat("+86", number);
}

std::string MakeIdNumber(std::string_view county6, int year, int month, int day, int sequence) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d%03d", year, month, day, sequence % 1000);
  std::string first17 = StrCat(county6, buf);
  return first17 + normalize::IdCardCheckDigit(first17);
}

std::string WithLuhnDigit(std::string body) {
  // The check digit makes the sum over body + digit, doubling every second digit from the
  // right (the check digit itself undoubled), a multiple of ten.
  int sum = 0;
  bool twice = true;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  body.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return body;
}

}  // namespace fz::gen
