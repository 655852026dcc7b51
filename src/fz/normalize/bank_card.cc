#include "fz/normalize/bank_card.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/simple_csv.h"
#include "fz/normalize/text.h"

namespace fz::embedded {
extern const std::string_view kBankBinsCsv;
extern const std::string_view kBankNamesCsv;
}  // namespace fz::embedded

namespace fz::normalize {
namespace {

constexpr size_t kMinBinDigits = 3;
constexpr size_t kMaxBinDigits = 10;
constexpr size_t kMinCardDigits = 12;
constexpr size_t kMaxCardDigits = 19;
// Far longer than any formatted number; stops a 10 KB paste before any work is done.
constexpr size_t kMaxRawBytes = 128;

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// The type codes of data/bank_bins/bin.csv.
CardType ParseCardType(std::string_view code) {
  if (code == "DC") return CardType::kDebit;
  if (code == "CC") return CardType::kCredit;
  if (code == "SCC") return CardType::kSemiCredit;
  if (code == "PC") return CardType::kPrepaid;
  return CardType::kUnknown;
}

Status CardError(std::string_view why) {
  return absl::InvalidArgumentError(StrCat("bank card number: ", why));
}

StatusOr<std::unordered_map<std::string, std::string>> ParseBankNames(std::string_view csv) {
  std::unordered_map<std::string, std::string> names;
  FZ_RETURN_IF_ERROR(ForEachCsvRow(csv, "bank_bins/name.csv",
                                   [&](size_t, const std::vector<std::string>& f) -> Status {
                                     if (f.size() < 2 || f[0].empty())
                                       return absl::InvalidArgumentError("expected bank,name");
                                     names[f[0]] = f[1];
                                     return absl::OkStatus();
                                   }));
  return names;
}

StatusOr<BankBin> ParseBinRow(const std::vector<std::string>& f) {
  if (f.size() < 4) return absl::InvalidArgumentError("expected bin,bank,type,length");
  BankBin bin;
  bin.bin = f[0];
  bin.bank_code = f[1];
  bin.type = ParseCardType(f[2]);
  if (!AllDigits(bin.bin) || bin.bin.size() < kMinBinDigits || bin.bin.size() > kMaxBinDigits) {
    return absl::InvalidArgumentError(StrCat("bad BIN '", f[0], "'"));
  }
  if (bin.bank_code.empty()) return absl::InvalidArgumentError("empty bank code");
  if (bin.type == CardType::kUnknown) {
    return absl::InvalidArgumentError(StrCat("unknown card type '", f[2], "'"));
  }
  const std::string& length = f[3];
  auto [end, error] =
      std::from_chars(length.data(), length.data() + length.size(), bin.card_length);
  if (error != std::errc() || end != length.data() + length.size() ||
      bin.card_length < static_cast<int>(kMinCardDigits) ||
      bin.card_length > static_cast<int>(kMaxCardDigits)) {
    return absl::InvalidArgumentError(StrCat("bad card length '", f[3], "'"));
  }
  return bin;
}

// Orders BINs by their digits, and compares them with a prefix of a card number.
struct BinLess {
  bool operator()(const BankBin& a, const BankBin& b) const { return a.bin < b.bin; }
  bool operator()(const BankBin& a, std::string_view b) const { return a.bin < b; }
  bool operator()(std::string_view a, const BankBin& b) const { return a < b.bin; }
};

}  // namespace

std::string_view CardTypeName(CardType type) {
  switch (type) {
    case CardType::kUnknown:
      return "unknown";
    case CardType::kDebit:
      return "debit";
    case CardType::kCredit:
      return "credit";
    case CardType::kSemiCredit:
      return "semi_credit";
    case CardType::kPrepaid:
      return "prepaid";
  }
  return "unknown";
}

bool LuhnValid(std::string_view digits) {
  if (!AllDigits(digits)) return false;
  int sum = 0;
  bool double_it = false;  // every second digit from the right, excluding the check digit
  for (size_t i = digits.size(); i-- > 0;) {  // clang 14 cannot use std::views::reverse
    int d = digits[i] - '0';
    if (double_it) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

const BankBinTable& BankBinTable::Builtin() {
  static const BankBinTable* const table = [] {
    StatusOr<BankBinTable> built = FromCsv(embedded::kBankBinsCsv, embedded::kBankNamesCsv);
    // The embedded data is part of the binary and covered by tests; failing here is a build
    // defect, not bad input.
    if (!built.ok()) std::abort();
    return new BankBinTable(*std::move(built));
  }();
  return *table;
}

StatusOr<BankBinTable> BankBinTable::FromCsv(std::string_view bins_csv,
                                             std::string_view names_csv) {
  FZ_ASSIGN_OR_RETURN(auto names, ParseBankNames(names_csv));
  BankBinTable table;
  FZ_RETURN_IF_ERROR(ForEachCsvRow(bins_csv, "bank_bins/bin.csv",
                                   [&](size_t, const std::vector<std::string>& f) -> Status {
                                     FZ_ASSIGN_OR_RETURN(BankBin bin, ParseBinRow(f));
                                     auto name = names.find(bin.bank_code);
                                     if (name != names.end()) bin.bank_name = name->second;
                                     table.bins_.push_back(std::move(bin));
                                     return absl::OkStatus();
                                   }));
  // Stable: for one BIN listed twice with the same length, the first row wins.
  std::stable_sort(table.bins_.begin(), table.bins_.end(), BinLess());
  return table;
}

const BankBin* BankBinTable::Match(std::string_view digits) const {
  const BankBin* longest_any_length = nullptr;
  size_t longest = std::min(digits.size(), kMaxBinDigits);
  for (size_t len = longest; len >= kMinBinDigits; --len) {
    std::string_view prefix = digits.substr(0, len);
    auto [first, last] = std::equal_range(bins_.begin(), bins_.end(), prefix, BinLess());
    for (auto it = first; it != last; ++it) {
      if (it->card_length == static_cast<int>(digits.size())) return &*it;
      if (longest_any_length == nullptr) longest_any_length = &*it;
    }
  }
  return longest_any_length;
}

StatusOr<BankCardInfo> NormalizeBankCard(std::string_view raw) {
  return NormalizeBankCard(raw, BankBinTable::Builtin());
}

StatusOr<BankCardInfo> NormalizeBankCard(std::string_view raw, const BankBinTable& table) {
  if (raw.size() > kMaxRawBytes) {
    return CardError(StrCat("input is ", raw.size(), " bytes; a card number has at most ",
                            kMaxCardDigits, " digits"));
  }
  std::string number = StripNumberSeparators(raw);
  if (number.empty()) return CardError("is empty");
  for (char c : number) {
    if (absl::ascii_isdigit(c)) continue;
    return CardError(StrCat("contains ",
                            absl::ascii_isgraph(c)
                                ? StrCat("'", std::string(1, c), "'")
                                : std::string("a non-ASCII or control character"),
                            "; only digits are allowed"));
  }
  if (number.size() < kMinCardDigits || number.size() > kMaxCardDigits) {
    return CardError(StrCat("has ", number.size(), " digits; expected ", kMinCardDigits, " to ",
                            kMaxCardDigits));
  }
  BankCardInfo info;
  info.luhn_valid = LuhnValid(number);
  if (const BankBin* bin = table.Match(number); bin != nullptr) {
    info.bin = bin->bin;
    info.bank_code = bin->bank_code;
    info.bank_name = bin->bank_name;
    info.card_type = bin->type;
    info.length_matches_bin = bin->card_length == static_cast<int>(number.size());
  }
  info.number = std::move(number);
  return info;
}

}  // namespace fz::normalize
