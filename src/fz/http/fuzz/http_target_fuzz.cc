// Fuzzes DecodeTarget and PercentDecode: any bytes give a result or an error, never a crash;
// decoding never grows the input, and percent-encoding any bytes then decoding gives them back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fz/http/url.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  fz::StatusOr<fz::http::DecodedTarget> target = fz::http::DecodeTarget(raw);
  if (target.ok()) {
    Check(target->path.size() <= raw.size());
  } else {
    Check(target.status().code() == absl::StatusCode::kInvalidArgument);
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : raw) {
    encoded += '%';
    encoded += kHex[c >> 4];
    encoded += kHex[c & 15];
  }
  fz::StatusOr<std::string> decoded = fz::http::PercentDecode(encoded, /*plus_is_space=*/true);
  Check(decoded.ok() && *decoded == raw);
  return 0;
}
