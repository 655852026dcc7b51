// Fuzzes NormalizeBankCard: any bytes give a result or an error, never a crash; an accepted
// number is digits only, its BIN is a prefix of it, and normalizing it again changes nothing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "fz/normalize/bank_card.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fz::normalize;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<BankCardInfo> card = NormalizeBankCard(raw);
  if (!card.ok()) {
    Check(card.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(card->number.size() >= 12 && card->number.size() <= 19);
  for (char c : card->number) Check(absl::ascii_isdigit(c));
  Check(card->luhn_valid == LuhnValid(card->number));
  Check(absl::StartsWith(card->number, card->bin));
  Check(card->bin.empty() == card->bank_code.empty());
  Check(card->bin.empty() == (card->card_type == CardType::kUnknown));
  Check(!card->bin.empty() || !card->length_matches_bin);

  fz::StatusOr<BankCardInfo> again = NormalizeBankCard(card->number);
  Check(again.ok());
  Check(again->number == card->number && again->bin == card->bin &&
        again->bank_code == card->bank_code && again->bank_name == card->bank_name &&
        again->card_type == card->card_type &&
        again->length_matches_bin == card->length_matches_bin &&
        again->luhn_valid == card->luhn_valid);
  return 0;
}
