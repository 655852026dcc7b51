// Bank card numbers: the digits, the Luhn check, and the issuing bank and card type from the
// BIN (bank identification number) table compiled into the binary (data/bank_bins, from the
// bcbc project). Stop-payment requests are routed by issuing bank, so the BIN decides who is
// called when a victim reports a transfer.
//
//   StatusOr<BankCardInfo> card = NormalizeBankCard("6222 0212 3456 7890 128");
//   // card->bank_code == "ICBC", card->bank_name == "中国工商银行",
//   // card->card_type == CardType::kDebit, card->bin == "622202"
//
// A failed Luhn check is a flag (luhn_valid == false), not an error. Most Chinese cards carry a
// Luhn digit, but the BIN table lists cards that predate UnionPay's rules (15- and 17-digit
// numbers, old passbook-linked debit cards), and a number copied from a victim's statement
// must reach an analyst even when one digit is wrong; rules decide what a bad check means.
// An unknown BIN is also not an error: the bank fields are then empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"

namespace fz::normalize {

enum class CardType { kUnknown, kDebit, kCredit, kSemiCredit, kPrepaid };

// "unknown", "debit", "credit", "semi_credit", "prepaid".
std::string_view CardTypeName(CardType type);

struct BankBin {
  std::string bin;        // 3 to 10 digits
  std::string bank_code;  // "ICBC"
  std::string bank_name;  // "中国工商银行"; "" when name.csv lacks the code
  CardType type = CardType::kUnknown;
  int card_length = 0;  // length of the card numbers issued under this BIN
};

// An immutable BIN index; safe to share between threads once built.
class BankBinTable {
 public:
  // The table built from the embedded data/bank_bins CSVs, on first use.
  static const BankBinTable& Builtin();

  // Builds from CSV texts with headers "bin,bank,type,length" and "bank,name". Errors name the
  // source and line.
  static StatusOr<BankBinTable> FromCsv(std::string_view bins_csv, std::string_view names_csv);

  // The longest BIN that prefixes `digits` among those whose card length equals
  // digits.size(); when none has that length, the longest prefix of any length (the same BIN
  // is sometimes listed for two lengths and two banks, e.g. 622302 for ICBC 18-digit and
  // GDRCC 16-digit cards). nullptr when no BIN matches.
  const BankBin* Match(std::string_view digits) const;

  size_t size() const { return bins_.size(); }

 private:
  std::vector<BankBin> bins_;  // sorted by bin
};

struct BankCardInfo {
  std::string number;  // 12 to 19 ASCII digits
  bool luhn_valid = false;
  std::string bin;        // matched BIN, "" when unknown
  std::string bank_code;  // "" when unknown
  std::string bank_name;  // "" when unknown
  CardType card_type = CardType::kUnknown;
  bool length_matches_bin = false;  // false also when the BIN is unknown
};

// Accepts 12 to 19 digits with spaces, dashes and full-width digits (StripNumberSeparators).
// Errors on any other character or length.
StatusOr<BankCardInfo> NormalizeBankCard(std::string_view raw);

// As above with a given table (tests, or a newer table loaded at start-up).
StatusOr<BankCardInfo> NormalizeBankCard(std::string_view raw, const BankBinTable& table);

// The Luhn (ISO/IEC 7812-1) check over all of `digits`; false for non-digits or empty input.
bool LuhnValid(std::string_view digits);

}  // namespace fz::normalize
