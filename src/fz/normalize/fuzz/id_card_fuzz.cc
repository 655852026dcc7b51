// Fuzzes NormalizeIdCard: any bytes give a result or an error, never a crash, and an accepted
// number is a fixed point (normalizing it again gives the same facts).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fz/normalize/id_card.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fz::normalize;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const absl::CivilDay today(2024, 6, 1);
  fz::StatusOr<IdCardInfo> id = NormalizeIdCard(raw, today);
  if (!id.ok()) {
    Check(id.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(id->number.size() == 18);
  Check(IdCardCheckDigit(std::string_view(id->number).substr(0, 17)) == id->number[17]);
  Check(id->division_code == id->number.substr(0, 6));
  Check(id->division_match != DivisionMatch::kNone && !id->division_name.empty());
  Check(id->birth_date <= today && id->birth_date.year() >= 1900 && id->age >= 0);
  Check(id->sex == 'M' || id->sex == 'F');

  fz::StatusOr<IdCardInfo> again = NormalizeIdCard(id->number, today);
  Check(again.ok());
  Check(again->number == id->number && again->birth_date == id->birth_date &&
        again->age == id->age && again->sex == id->sex &&
        again->division_name == id->division_name && again->division_match == id->division_match &&
        !again->converted_from_15);
  return 0;
}
