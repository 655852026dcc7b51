#include "fz/common/duration.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "fz/common/str_cat.h"

namespace fz {
namespace {

// Quotes `text` for an error message; keeps UTF-8 readable.
std::string Quote(std::string_view text) {
  return StrCat("\"", absl::Utf8SafeCEscape(absl::string_view(text.data(), text.size())), "\"");
}

std::optional<absl::Duration> UnitLength(std::string_view unit) {
  if (unit == "ms") return absl::Milliseconds(1);
  if (unit == "s") return absl::Seconds(1);
  if (unit == "m") return absl::Minutes(1);
  if (unit == "h") return absl::Hours(1);
  if (unit == "d") return absl::Hours(24);
  return std::nullopt;
}

}  // namespace

StatusOr<absl::Duration> ParseDuration(std::string_view text) {
  const auto invalid = [text](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("invalid duration ", Quote(text), ": ", why));
  };
  if (text.empty()) return invalid("empty");
  absl::Duration total = absl::ZeroDuration();
  for (std::string_view rest = text; !rest.empty();) {
    const size_t digits =
        std::find_if_not(rest.begin(), rest.end(), absl::ascii_isdigit) - rest.begin();
    if (digits == 0) return invalid("expected a whole number followed by ms, s, m, h or d");
    int64_t count = 0;
    // 12 digits keep count * 24h far inside absl::Duration's range.
    if (digits > 12) return invalid("number too large");
    std::from_chars(rest.data(), rest.data() + digits, count);
    rest.remove_prefix(digits);
    const std::string_view unit =
        rest.substr(0, std::find_if(rest.begin(), rest.end(), absl::ascii_isdigit) - rest.begin());
    rest.remove_prefix(unit.size());
    const std::optional<absl::Duration> length = UnitLength(unit);
    if (unit.empty()) return invalid("missing unit (ms, s, m, h or d)");
    if (!length.has_value()) {
      return invalid(StrCat("unknown unit ", Quote(unit), " (use ms, s, m, h or d)"));
    }
    total += count * *length;
  }
  return total;
}

}  // namespace fz
