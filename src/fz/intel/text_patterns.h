// TextPatterns: SMS / report text patterns per fraud type (安全账户, 刷单返利, 保证金, 解冻,
// 征信修复, ...), compiled once with Vectorscan (Hyperscan API) and scanned in one pass.
//
//   FZ_ASSIGN_OR_RETURN(TextPatterns p, TextPatterns::Compile(patterns));
//   TextPatterns::Scratch scratch = p.NewScratch();   // one per thread
//   p.Scan(text, scratch, [](const TextPattern& hit) { ... });
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/model/fraud_type.h"

struct hs_database;  // Vectorscan types, kept out of this header
struct hs_scratch;

namespace fz::intel {

struct TextPattern {
  std::string id;       // "sms.safe_account"
  std::string pattern;  // a keyword (literal) or a regex (when `regex` is true), UTF-8
  bool regex = false;
  model::FraudType fraud_type;
  double weight = 1;
  std::string reason_zh;  // "短信含“安全账户”话术"
  bool caseless = false;  // ASCII case-insensitive (literals and regexes alike)
};

class TextPatterns {
 public:
  class Scratch;  // per-thread scan state; movable

  TextPatterns();
  ~TextPatterns();
  TextPatterns(TextPatterns&&) noexcept;
  TextPatterns& operator=(TextPatterns&&) noexcept;

  // Compiles all patterns into one database. A bad regex is an error naming the pattern id.
  static StatusOr<TextPatterns> Compile(std::vector<TextPattern> patterns);

  Scratch NewScratch() const;

  // Calls `on_hit` once per distinct pattern found in `text` (invalid UTF-8 is tolerated).
  // Does not allocate after the scratch is created.
  void Scan(std::string_view text, Scratch& scratch,
            const std::function<void(const TextPattern&)>& on_hit) const;

  const std::vector<TextPattern>& patterns() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Vectorscan scratch space plus the per-scan "already reported" bits. Not thread-safe: one
// per thread. Usable only with the TextPatterns that made it (or one with the same patterns).
class TextPatterns::Scratch {
 public:
  Scratch() = default;
  ~Scratch();
  Scratch(Scratch&& other) noexcept;
  Scratch& operator=(Scratch&& other) noexcept;

 private:
  friend class TextPatterns;
  hs_scratch* scratch_ = nullptr;
  std::vector<uint64_t> seen_;  // one bit per pattern
};

// Finds URLs and bare domains in free text ("点击 http://x.top/a 领取", "登录 www.abc-bank.top",
// "abc-bank.top/x"): returns the spans as they appear, in order, without normalizing.
//
// A URL ends at ASCII whitespace or control characters, any non-ASCII character (CJK text,
// full-width punctuation), quotes and brackets; trailing ASCII punctuation (".,;:!?") is not
// part of it. An http(s):// URL needs a host that is a name with an alphabetic (or "xn--")
// last label of 2+ characters, or an IPv4 form; a bare one needs such a name ("3.5元", "1.2.3"
// and "v2.0" are not URLs). Pure, thread-safe, never fails.
std::vector<std::string_view> ExtractUrls(std::string_view text);

// The same, appending to `*out` (cleared first) so that a caller can reuse its capacity.
void ExtractUrls(std::string_view text, std::vector<std::string_view>* out);

// False only when ExtractUrls(text) is certainly empty: the text has neither "://" nor a dot
// followed by an ASCII letter. A screen far cheaper than ExtractUrls (most SMS carry no link).
bool MayHoldUrl(std::string_view text);

namespace internal {
// ExtractUrls without the MayHoldUrl screen (tests check the screen against it).
void ExtractUrlsUnscreened(std::string_view text, std::vector<std::string_view>* out);
}  // namespace internal

}  // namespace fz::intel
