#include "fz/workflow/mask.h"

namespace fz::workflow {
namespace {

// Length in bytes of the UTF-8 character starting at s[0].
size_t CharLen(std::string_view s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  return n > s.size() ? s.size() : n;
}

std::string KeepEnds(std::string_view s, size_t head, size_t tail) {
  if (s.size() <= head + tail) return std::string(s.size(), '*');
  return std::string(s.substr(0, head)) + std::string(s.size() - head - tail, '*') +
         std::string(s.substr(s.size() - tail));
}

}  // namespace

std::string MaskName(std::string_view name) {
  if (name.empty()) return {};
  size_t first = CharLen(name);
  size_t rest = 0;
  for (size_t i = first; i < name.size(); i += CharLen(name.substr(i))) ++rest;
  return std::string(name.substr(0, first)) + std::string(rest == 0 ? 1 : rest, '*');
}

std::string MaskPhone(std::string_view phone) {
  if (phone.starts_with("h:")) return std::string(phone);  // already pseudonymous
  if (phone.starts_with("+86")) return "+86" + KeepEnds(phone.substr(3), 3, 4);
  return KeepEnds(phone, 4, 4);
}

std::string MaskIdNo(std::string_view id_no) { return KeepEnds(id_no, 6, 4); }

std::string MaskAccount(std::string_view account) { return KeepEnds(account, 4, 4); }

std::string MaskSubject(std::string_view kind, std::string_view value) {
  if (kind == "phone") return MaskPhone(value);
  if (kind == "id_no") return MaskIdNo(value);
  return MaskAccount(value);
}

}  // namespace fz::workflow
