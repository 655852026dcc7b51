#include "fz/normalize/domain.h"

#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "fz/common/str_cat.h"
#include "fz/normalize/ip.h"
#include "fz/normalize/text.h"

namespace fz::normalize {
namespace {

constexpr size_t kMaxLabelBytes = 63;    // RFC 1035 2.3.4
constexpr size_t kMaxNameBytes = 253;    // 255 on the wire minus the length octets
constexpr size_t kMaxInputBytes = 1024;  // beyond this no mapping can bring a name under 253
constexpr size_t kMaxQuotedBytes = 64;

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): libidn2 would
// reject bad bytes too, but with a message that does not say which label.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xE  ? 3
                 : (b >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// Untrusted text for an error message: readable when it is clean UTF-8, escaped otherwise,
// and cut at a character boundary so a 1 KB name does not flood the log.
std::string Quote(std::string_view text) {
  bool clean = IsValidUtf8(text) && std::none_of(text.begin(), text.end(), [](char c) {
                 return absl::ascii_iscntrl(static_cast<unsigned char>(c));
               });
  if (!clean) {
    std::string_view head = text.substr(0, kMaxQuotedBytes);
    return StrCat("'", absl::CHexEscape(absl::string_view(head.data(), head.size())), "'");
  }
  if (text.size() <= kMaxQuotedBytes) return StrCat("'", text, "'");
  size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return StrCat("'", text.substr(0, cut), "...'");
}

Status LabelError(std::string_view label, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("label ", Quote(label), " ", why));
}

// Letters, digits, hyphen and underscore; see domain.h for why '_' is allowed.
bool IsHostChar(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Checks the ASCII characters of a label (all of them for an ASCII label).
Status CheckHostChars(std::string_view label) {
  for (char c : label) {
    if (static_cast<unsigned char>(c) >= 0x80 || IsHostChar(c)) continue;
    std::string shown =
        absl::ascii_isgraph(c) ? std::string(1, c) : absl::CHexEscape(absl::string_view(&c, 1));
    return LabelError(
        label, StrCat("contains '", shown, "'; only letters, digits, '-' and '_' are allowed"));
  }
  return absl::OkStatus();
}

Status CheckAsciiLabel(std::string_view label) {
  FZ_RETURN_IF_ERROR(CheckHostChars(label));
  if (label.front() == '-' || label.back() == '-') {
    return LabelError(label, "starts or ends with '-'");
  }
  if (label.size() > kMaxLabelBytes) {
    return LabelError(label, StrCat("is ", label.size(), " bytes in ASCII form; at most ",
                                    kMaxLabelBytes, " are allowed"));
  }
  return absl::OkStatus();
}

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using IdnString = std::unique_ptr<char, FreeDeleter>;

// UTS #46 non-transitional first; transitional for what IDNA2008 disallows (curl's order).
StatusOr<std::string> IdnToAscii(const std::string& label) {
  char* out = nullptr;
  int rc = idn2_to_ascii_8z(label.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  IdnString owned(out);
  if (rc == IDN2_DISALLOWED) {
    rc = idn2_to_ascii_8z(label.c_str(), &out, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
    owned.reset(out);
  }
  if (rc != IDN2_OK || owned == nullptr) {
    return LabelError(label,
                      StrCat("is not a valid internationalized label (", idn2_strerror(rc), ")"));
  }
  return std::string(owned.get());
}

StatusOr<std::string> IdnToUnicode(const std::string& a_label) {
  char* out = nullptr;
  int rc = idn2_to_unicode_8z8z(a_label.c_str(), &out, 0);
  IdnString owned(out);
  if (rc != IDN2_OK || owned == nullptr) {
    return LabelError(a_label, StrCat("is not valid punycode (", idn2_strerror(rc), ")"));
  }
  return std::string(owned.get());
}

struct Label {
  std::string ascii;
  std::string unicode;
};

// An "xn--" label must decode, and encode back to itself: otherwise two different spellings
// would name one domain (or a label would hide a '.' or a full-width character).
StatusOr<Label> FromALabel(const std::string& a_label) {
  FZ_ASSIGN_OR_RETURN(std::string unicode, IdnToUnicode(a_label));
  StatusOr<std::string> again = IdnToAscii(unicode);
  if (!again.ok() || *again != a_label) {
    return LabelError(a_label, "is not a valid IDNA A-label (it does not round-trip)");
  }
  return Label{a_label, std::move(unicode)};
}

StatusOr<Label> NormalizeLabel(std::string_view raw) {
  if (raw.empty()) return LabelError(raw, "is empty (two dots in a row or a leading dot)");
  std::string ascii;
  if (IsAscii(raw)) {
    ascii = std::string(raw);
    for (char& c : ascii) c = absl::ascii_tolower(c);
  } else {
    FZ_RETURN_IF_ERROR(CheckHostChars(raw));
    FZ_ASSIGN_OR_RETURN(ascii, IdnToAscii(std::string(raw)));
    if (ascii.find('.') != std::string::npos) {
      return LabelError(raw, "maps to more than one label");
    }
    if (ascii.empty()) return LabelError(raw, "maps to nothing");
    // UTS #46 maps some symbols to ASCII punctuation: "⑴" becomes "(1)".
    if (Status valid = CheckAsciiLabel(ascii); !valid.ok()) {
      return LabelError(raw, StrCat("maps to an invalid label: ", valid.message()));
    }
  }
  FZ_RETURN_IF_ERROR(CheckAsciiLabel(ascii));
  if (!ascii.starts_with("xn--")) return Label{ascii, ascii};
  return FromALabel(ascii);
}

const psl_ctx_t* PublicSuffixList() {
  // Never freed: it lives as long as the process, like the built-in list itself.
  static const psl_ctx_t* const list = [] {
    const psl_ctx_t* builtin = psl_builtin();
    return builtin != nullptr ? builtin : static_cast<const psl_ctx_t*>(psl_latest(nullptr));
  }();
  return list;
}

void FillPublicSuffix(DomainInfo& info) {
  const psl_ctx_t* psl = PublicSuffixList();
  if (psl != nullptr) {
    const char* registrable = psl_registrable_domain(psl, info.domain.c_str());
    const char* suffix = psl_unregistrable_domain(psl, info.domain.c_str());
    info.registrable_domain = registrable != nullptr ? registrable : "";
    info.public_suffix = suffix != nullptr ? suffix : "";
    return;
  }
  // No list at all: the last label is the suffix (right for .com, wrong for .com.cn).
  size_t last_dot = info.domain.rfind('.');
  if (last_dot == std::string::npos) {
    info.public_suffix = info.domain;
    return;
  }
  info.public_suffix = info.domain.substr(last_dot + 1);
  size_t prev_dot = info.domain.rfind('.', last_dot - 1);
  info.registrable_domain =
      prev_dot == std::string::npos ? info.domain : info.domain.substr(prev_dot + 1);
}

// "。" (U+3002) and "｡" (U+FF61) are full stops on Chinese and Japanese keyboards; UTS #46
// maps them to '.' (the full-width "．" is handled by FoldFullWidth).
std::string MapIdeographicFullStops(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("\xE3\x80\x82") || rest.starts_with("\xEF\xBD\xA1")) {
      out += '.';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

Status DomainError(std::string_view name, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("domain ", Quote(name), ": ", why));
}

// Trims, validates the encoding and maps keyboard variants; returns the name without the
// trailing dot of the DNS root.
StatusOr<std::string> CleanName(std::string_view raw) {
  std::string_view trimmed = TrimAscii(raw);
  if (trimmed.empty()) return absl::InvalidArgumentError("domain is empty");
  if (trimmed.size() > kMaxInputBytes) {
    return DomainError(
        trimmed, StrCat("is ", trimmed.size(), " bytes; at most ", kMaxNameBytes, " are allowed"));
  }
  if (!IsValidUtf8(trimmed)) return DomainError(trimmed, "is not valid UTF-8");
  // The ideographic full stops people type on Chinese keyboards are label separators (UTS #46).
  std::string text(TrimAscii(FoldFullWidth(MapIdeographicFullStops(trimmed))));
  if (text.find('/') != std::string::npos) {
    return DomainError(text, "contains '/': a URL or path, not a domain (use NormalizeUrl)");
  }
  if (text.ends_with('.')) text.pop_back();
  if (text.empty()) return DomainError(trimmed, "has no labels");
  return text;
}

}  // namespace

namespace {

// The checks and the ASCII form shared by NormalizeDomain and NormalizeDomainName; the Unicode
// labels only when `unicode_labels` is given.
StatusOr<std::string> AsciiName(std::string_view raw, std::vector<std::string>* unicode_labels,
                                bool* is_idn) {
  FZ_ASSIGN_OR_RETURN(const std::string name, CleanName(raw));
  std::string domain;
  domain.reserve(name.size());
  for (size_t start = 0, end = 0; start <= name.size(); start = end + 1) {
    end = std::min(name.find('.', start), name.size());
    StatusOr<Label> label = NormalizeLabel(name.substr(start, end - start));
    if (!label.ok()) return DomainError(name, std::string(label.status().message()));
    if (start > 0) domain += '.';
    domain += label->ascii;
    *is_idn = *is_idn || label->ascii.starts_with("xn--");
    if (unicode_labels != nullptr) unicode_labels->push_back(std::move(label->unicode));
  }
  if (domain.size() > kMaxNameBytes) {
    return DomainError(name, StrCat("is ", domain.size(), " bytes in ASCII form; at most ",
                                    kMaxNameBytes, " are allowed"));
  }
  if (HostEndsInNumber(domain)) {
    return DomainError(name,
                       "the last label is numeric, so this is an IPv4 address, not a "
                       "domain (use NormalizeIp)");
  }
  return domain;
}

}  // namespace

StatusOr<DomainInfo> NormalizeDomain(std::string_view raw) {
  std::vector<std::string> unicode_labels;
  DomainInfo info;
  FZ_ASSIGN_OR_RETURN(info.domain, AsciiName(raw, &unicode_labels, &info.is_idn));
  info.unicode = absl::StrJoin(unicode_labels, ".");
  FillPublicSuffix(info);
  return info;
}

namespace {

// NormalizeDomainName for the common shape: letters, digits, '-', '_' and single dots, no
// A-label, a last label not starting with a digit. Such a name passes every check of
// AsciiName unchanged but for case, so its name is the lower-case input. nullopt for anything
// else (the full path decides, errors included). Intelligence feeds are nearly all this
// shape, and AsciiName's copies and per-label strings were ~5,000 instructions a domain.
std::optional<std::string> PlainAsciiName(std::string_view raw) {
  if (raw.empty() || raw.size() > kMaxNameBytes) return std::nullopt;
  std::string out(raw);
  size_t label_start = 0;
  for (size_t i = 0; i <= out.size(); ++i) {
    if (i == out.size() || out[i] == '.') {
      const size_t len = i - label_start;
      if (len == 0 || len > kMaxLabelBytes) return std::nullopt;  // also a trailing dot
      if (out[label_start] == '-' || out[i - 1] == '-') return std::nullopt;
      if (len >= 4 && std::string_view(out).substr(label_start, 4) == "xn--") return std::nullopt;
      label_start = i + 1;
      continue;
    }
    char& c = out[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return std::nullopt;
    }
  }
  const size_t last = out.rfind('.');
  const char first_of_last = out[last == std::string::npos ? 0 : last + 1];
  if (first_of_last >= '0' && first_of_last <= '9') return std::nullopt;  // maybe numeric
  return out;
}

}  // namespace

StatusOr<std::string> NormalizeDomainName(std::string_view raw) {
  if (std::optional<std::string> plain = PlainAsciiName(raw)) return *std::move(plain);
  bool is_idn = false;
  return AsciiName(raw, nullptr, &is_idn);
}

}  // namespace fz::normalize
