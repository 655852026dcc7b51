#include "fz/intel/text_patterns.h"

#include <hs/hs.h>
#include <simdjson.h>

#include <climits>
#include <unordered_set>
#include <utility>

#include "fz/common/str_cat.h"

namespace fz::intel {
namespace {

// A keyword as a Vectorscan expression: ASCII punctuation and controls escaped as \xHH, the
// rest (letters, digits, UTF-8 bytes of CJK text) kept.
std::string EscapeLiteral(std::string_view literal) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(literal.size() * 2);
  for (char ch : literal) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain =
        c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (plain) {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// Length of the valid UTF-8 sequence starting at s[0], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF included).
size_t Utf8SequenceLength(const unsigned char* s, size_t n) {
  const unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  }
  return len;
}

struct ScanContext {
  const std::vector<TextPattern>* patterns;
  uint64_t* seen;
  const std::function<void(const TextPattern&)>* on_hit;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
            unsigned int /*flags*/, void* context) {
  auto* ctx = static_cast<ScanContext*>(context);
  const uint64_t bit = uint64_t{1} << (id % 64);
  if ((ctx->seen[id / 64] & bit) == 0) {
    ctx->seen[id / 64] |= bit;
    (*ctx->on_hit)((*ctx->patterns)[id]);
  }
  return 0;  // keep scanning: other patterns may match later in the text
}

}  // namespace

struct TextPatterns::Impl {
  std::vector<TextPattern> patterns;
  hs_database_t* db = nullptr;
  ~Impl() { hs_free_database(db); }
};

TextPatterns::TextPatterns() : impl_(std::make_unique<Impl>()) {}
TextPatterns::~TextPatterns() = default;
TextPatterns::TextPatterns(TextPatterns&&) noexcept = default;
TextPatterns& TextPatterns::operator=(TextPatterns&&) noexcept = default;

StatusOr<TextPatterns> TextPatterns::Compile(std::vector<TextPattern> patterns) {
  // simdjson picks its implementation for this CPU on first use, allocating: here, not in the
  // first Scan (scans never allocate, no_alloc_test).
  [[maybe_unused]] const bool valid = simdjson::validate_utf8("", 0);
  TextPatterns out;
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags, ids;
  std::unordered_set<std::string_view> seen_ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const TextPattern& p = patterns[i];
    if (p.id.empty()) {
      return absl::InvalidArgumentError(fz::StrCat("text pattern #", i + 1, " has no id"));
    }
    if (!seen_ids.insert(p.id).second) {
      return absl::InvalidArgumentError(fz::StrCat("text pattern '", p.id, "': duplicate id"));
    }
    if (p.pattern.empty()) {
      return absl::InvalidArgumentError(fz::StrCat("text pattern '", p.id, "': empty pattern"));
    }
    expressions.push_back(p.regex ? p.pattern : EscapeLiteral(p.pattern));
    flags.push_back(HS_FLAG_UTF8 | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH |
                    (p.caseless ? HS_FLAG_CASELESS : 0u));
    ids.push_back(static_cast<unsigned int>(i));
  }
  if (!patterns.empty()) {
    std::vector<const char*> c_exprs;
    for (const std::string& e : expressions) c_exprs.push_back(e.c_str());
    hs_compile_error_t* err = nullptr;
    const hs_error_t rc = hs_compile_multi(c_exprs.data(), flags.data(), ids.data(),
                                           static_cast<unsigned int>(c_exprs.size()), HS_MODE_BLOCK,
                                           nullptr, &out.impl_->db, &err);
    if (rc != HS_SUCCESS) {
      std::string message =
          err != nullptr && err->expression >= 0
              ? fz::StrCat("text pattern '", patterns[static_cast<size_t>(err->expression)].id,
                           "': ", err != nullptr ? err->message : "compile error")
              : fz::StrCat("text patterns: ", err != nullptr ? err->message : "compile error");
      hs_free_compile_error(err);
      return absl::InvalidArgumentError(message);
    }
  }
  out.impl_->patterns = std::move(patterns);
  return out;
}

TextPatterns::Scratch TextPatterns::NewScratch() const {
  Scratch s;
  s.seen_.assign((impl_->patterns.size() + 63) / 64, 0);
  if (impl_->db != nullptr) hs_alloc_scratch(impl_->db, &s.scratch_);
  return s;
}

void TextPatterns::Scan(std::string_view text, Scratch& scratch,
                        const std::function<void(const TextPattern&)>& on_hit) const {
  if (impl_->db == nullptr || text.empty()) return;
  const size_t words = (impl_->patterns.size() + 63) / 64;
  // A scratch made for other patterns is made to fit (allocates once).
  if (scratch.scratch_ == nullptr || scratch.seen_.size() != words) {
    scratch.seen_.assign(words, 0);
    if (hs_alloc_scratch(impl_->db, &scratch.scratch_) != HS_SUCCESS) return;
  }
  std::fill(scratch.seen_.begin(), scratch.seen_.end(), 0);
  ScanContext ctx{&impl_->patterns, scratch.seen_.data(), &on_hit};
  // Vectorscan's results on invalid UTF-8 are undefined with HS_FLAG_UTF8, so each maximal
  // valid run is scanned on its own; a keyword cannot span an invalid byte anyway. Nearly all
  // texts are valid: simdjson's vectorized check settles that first (the byte loop below cost
  // more than the scan itself).
  if (text.size() <= UINT_MAX && simdjson::validate_utf8(text.data(), text.size())) {
    hs_scan(impl_->db, text.data(), static_cast<unsigned int>(text.size()), 0, scratch.scratch_,
            OnMatch, &ctx);
    return;
  }
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t run = 0, i = 0;
  while (i < n) {
    // SMS text is ASCII and 3-byte CJK: a lead byte that puts no bound of its own on the
    // second byte (E1..EC, EE, EF) and two continuation bytes are valid as they are.
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    const size_t len = Utf8SequenceLength(s + i, n - i);
    if (len != 0) {
      i += len;
      continue;
    }
    if (i > run && i - run <= UINT_MAX) {
      hs_scan(impl_->db, text.data() + run, static_cast<unsigned int>(i - run), 0, scratch.scratch_,
              OnMatch, &ctx);
    }
    run = ++i;
  }
  if (n > run && n - run <= UINT_MAX) {
    hs_scan(impl_->db, text.data() + run, static_cast<unsigned int>(n - run), 0, scratch.scratch_,
            OnMatch, &ctx);
  }
}

const std::vector<TextPattern>& TextPatterns::patterns() const { return impl_->patterns; }

TextPatterns::Scratch::~Scratch() { hs_free_scratch(scratch_); }

TextPatterns::Scratch::Scratch(Scratch&& other) noexcept
    : scratch_(std::exchange(other.scratch_, nullptr)), seen_(std::move(other.seen_)) {}

TextPatterns::Scratch& TextPatterns::Scratch::operator=(Scratch&& other) noexcept {
  if (this != &other) {
    hs_free_scratch(scratch_);
    scratch_ = std::exchange(other.scratch_, nullptr);
    seen_ = std::move(other.seen_);
  }
  return *this;
}

}  // namespace fz::intel
