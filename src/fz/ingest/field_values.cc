// Value parsers for event fields: money, account numbers, and the reject message format.

#include "fz/ingest/field_values.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fz/common/str_cat.h"
#include "fz/ingest/event_fields.h"
#include "fz/normalize/text.h"

namespace fz::ingest {
namespace internal {

std::string TruncateUtf8(std::string_view value, size_t max) {
  if (value.size() <= max) return std::string(value);
  size_t cut = max;
  // Back up over continuation bytes (10xxxxxx) so a multi-byte character is not split.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return fz::StrCat(value.substr(0, cut), "...");
}

Status Reject(std::string_view code, Field field, std::string_view value, std::string_view why) {
  return absl::InvalidArgumentError(fz::StrCat(code, ": ", FieldName(field), " '",
                                               TruncateUtf8(value, kMaxEchoedValue), "' ", why));
}

Status Reject(std::string_view code, Field field, std::string_view value, const Status& why) {
  absl::string_view message = why.message();
  return Reject(code, field, value, std::string_view(message.data(), message.size()));
}

Status Missing(Field field) {
  return absl::InvalidArgumentError(
      fz::StrCat("missing_field: ", FieldName(field), " is required"));
}

}  // namespace internal

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

StatusOr<model::Money> ParseYuan(std::string_view text) {
  text = normalize::TrimAscii(text);
  if (text.empty()) return absl::InvalidArgumentError("is empty");
  if (text.front() == '-') return absl::InvalidArgumentError("is negative");
  size_t pos = 0;
  int64_t yuan = 0;
  constexpr int64_t kMaxYuan = std::numeric_limits<int64_t>::max() / 100 - 1;
  for (; pos < text.size() && IsDigit(text[pos]); ++pos) {
    yuan = yuan * 10 + (text[pos] - '0');
    if (yuan > kMaxYuan) return absl::InvalidArgumentError("is too large");
  }
  if (pos == 0) return absl::InvalidArgumentError("is not an amount in yuan like 1999.50");
  int64_t fen = 0;
  if (pos < text.size()) {
    if (text[pos] != '.')
      return absl::InvalidArgumentError("is not an amount in yuan like 1999.50");
    ++pos;
    int decimals = 0;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++decimals) {
      if (decimals >= 2) {
        // "12.500" is still exact; "12.505" is not a whole number of fen.
        if (text[pos] != '0') return absl::InvalidArgumentError("has more than two decimals");
        continue;
      }
      fen = fen * 10 + (text[pos] - '0');
    }
    if (decimals == 0 || pos != text.size()) {
      return absl::InvalidArgumentError("is not an amount in yuan like 1999.50");
    }
    if (decimals == 1) fen *= 10;
  }
  return model::Money{.fen = yuan * 100 + fen};
}

StatusOr<std::string> NormalizeAccount(std::string_view text) {
  std::string out;
  FZ_RETURN_IF_ERROR(NormalizeAccountTo(text, &out));
  return out;
}

Status NormalizeAccountTo(std::string_view text, std::string* out) {
  bool plain = text.size() <= 32;
  for (char c : text) plain = plain && IsDigit(c);
  if (plain) {
    internal::AssignText(text, out);
  } else {
    out->clear();
    std::string folded = normalize::FoldFullWidth(text);
    for (char c : folded) {
      if (IsDigit(c)) {
        out->push_back(c);
      } else if (c != ' ' && c != '-' && c != '\t') {
        return absl::InvalidArgumentError("must be digits (spaces and '-' allowed)");
      }
    }
  }
  if (out->size() < 6 || out->size() > 32) {
    return absl::InvalidArgumentError("must have 6 to 32 digits");
  }
  return absl::OkStatus();
}

}  // namespace fz::ingest
