// IntelStore loading: per-kind canonical values and the intelligence / whitelist CSV files.

#include <charconv>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "fz/common/str_cat.h"
#include "fz/intel/intel_csv_io.h"
#include "fz/intel/intel_store.h"
#include "fz/intel/store_impl.h"
#include "fz/normalize/domain.h"
#include "fz/normalize/ip.h"
#include "fz/normalize/phone_normalizer.h"
#include "fz/normalize/simple_csv.h"
#include "fz/normalize/text.h"
#include "fz/normalize/url.h"

namespace fz::intel {
namespace {

using internal::FileText;
using internal::ReadFile;
using internal::SplitRecord;
using model::IndicatorKind;

// Digits only, after folding full-width digits and dropping separators people type.
StatusOr<std::string> DigitsValue(std::string_view raw, std::string_view what, size_t min_len,
                                  size_t max_len) {
  // Plain ASCII digits (nearly every row) are their own canonical form: nothing to fold or
  // strip, so skip StripNumberSeparators' two copies.
  const bool plain = !raw.empty() && std::all_of(raw.begin(), raw.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
  std::string digits = plain ? std::string(raw) : normalize::StripNumberSeparators(raw);
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(fz::StrCat(what, " must be digits only"));
    }
  }
  if (digits.size() < min_len || digits.size() > max_len) {
    return absl::InvalidArgumentError(
        fz::StrCat(what, " must have ", min_len, "-", max_len, " digits, not ", digits.size()));
  }
  return digits;
}

StatusOr<std::string> AppValue(std::string_view raw) {
  std::string_view app = normalize::TrimAscii(raw);
  if (app.empty() || app.size() > 256) {
    return absl::InvalidArgumentError("app id must have 1-256 bytes");
  }
  std::string out(app);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return absl::InvalidArgumentError("app id contains a control character");
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

StatusOr<std::string> IntelStore::CanonicalValue(IndicatorKind kind, std::string_view raw) {
  switch (kind) {
    case IndicatorKind::kPhone: {
      normalize::PhoneKey key;
      FZ_RETURN_IF_ERROR(normalize::PhoneNormalizer::Default().NormalizeKey(raw, &key));
      return std::move(key.canonical);
    }
    case IndicatorKind::kDomain: {
      std::string_view d = normalize::TrimAscii(raw);
      if (d.substr(0, 2) == "*.") d.remove_prefix(2);  // blocklists write "*.bad.top"
      return normalize::NormalizeDomainName(d);
    }
    case IndicatorKind::kUrl: {
      FZ_ASSIGN_OR_RETURN(normalize::UrlInfo info,
                          normalize::NormalizeUrl(normalize::TrimAscii(raw)));
      return std::move(info.url);
    }
    case IndicatorKind::kIp: {
      FZ_ASSIGN_OR_RETURN(normalize::IpInfo info, normalize::NormalizeIp(raw));
      return std::move(info.canonical);
    }
    case IndicatorKind::kAccount:
      return DigitsValue(raw, "account", 5, 32);
    case IndicatorKind::kImei:
      return DigitsValue(raw, "imei", 14, 16);
    case IndicatorKind::kApp:
      return AppValue(raw);
  }
  return absl::InvalidArgumentError("unknown indicator kind");
}

namespace {

// normalize::TrimAscii without the call when there is nothing to trim (nearly every field):
// ASCII whitespace is all at or below ' '.
inline std::string_view Trim(std::string_view s) {
  if (s.empty() ||
      (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')) {
    return s;
  }
  return normalize::TrimAscii(s);
}

// Expiry: empty = never; epoch milliseconds; ISO 8601 with offset ("...T09:30:00+08:00",
// "...Z", fractional seconds); or a bare date, read as midnight China time (+08:00).
StatusOr<int64_t> ParseExpiresMs(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return internal::kNeverMs;
  int64_t ms = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, ms);
  if (ec == std::errc() && ptr == end) return ms;
  absl::Time t;
  std::string err;
  const std::string s(text);
  if (absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", s, &t, &err) ||
      (s.size() == 10 && absl::ParseTime("%Y-%m-%d%Ez", s + "+08:00", &t, &err))) {
    return absl::ToUnixMillis(t);
  }
  return absl::InvalidArgumentError(
      "expected ISO 8601 with offset (2027-01-01T00:00:00+08:00), a date or epoch ms");
}

StatusOr<float> ParseConfidence(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return 1.0f;
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !(v >= 0 && v <= 1)) {
    return absl::InvalidArgumentError("expected a number in [0, 1]");
  }
  return static_cast<float>(v);
}

enum Column { kKindCol, kValueCol, kFraudTypeCol, kSourceCol, kConfidenceCol, kExpiresCol };
constexpr std::string_view kColumnNames[] = {"kind",   "value",      "fraud_type",
                                             "source", "confidence", "expires_at"};
constexpr int kColumns = 6;

struct Header {
  int col[kColumns] = {-1, -1, -1, -1, -1, -1};
  size_t fields = 0;
};

StatusOr<Header> ParseHeader(const std::vector<std::string_view>& fields,
                             std::string_view file_name, int64_t line_no) {
  Header h;
  h.fields = fields.size();
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string_view name = normalize::TrimAscii(fields[i]);
    for (int c = 0; c < kColumns; ++c) {
      if (name != kColumnNames[c]) continue;
      if (h.col[c] >= 0) {
        return absl::InvalidArgumentError(
            fz::StrCat(file_name, ":", line_no, ": duplicate column '", name, "'"));
      }
      h.col[c] = static_cast<int>(i);
    }
  }
  for (int c : {kKindCol, kValueCol}) {
    if (h.col[c] < 0) {
      return absl::InvalidArgumentError(fz::StrCat(file_name, ":", line_no,
                                                   ": missing required column '", kColumnNames[c],
                                                   "' in the header row"));
    }
  }
  return h;
}

// Calls `row(line_no, fields, header)` for each record after the header; its error rejects
// the row. Errors only for a missing or bad header.
template <typename RowFn>
Status ForEachRecord(std::string_view text, std::string_view file_name,
                     std::vector<RejectedIndicator>* rejected, size_t* rejected_count,
                     RowFn&& row) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> storage;
  std::vector<std::string_view> fields;
  std::optional<Header> header;
  int64_t line_no = 0;
  while (!text.empty()) {
    const std::string_view line = normalize::TakeLine(text, &line_no);
    if (normalize::TrimAscii(line).empty() || line[0] == '#') continue;
    Status status = SplitRecord(line, storage, fields);
    if (!header.has_value()) {
      if (!status.ok()) {
        return absl::InvalidArgumentError(
            fz::StrCat(file_name, ":", line_no, ": header row: ", status.message()));
      }
      FZ_ASSIGN_OR_RETURN(header, ParseHeader(fields, file_name, line_no));
      continue;
    }
    if (status.ok() && fields.size() != header->fields) {
      status = absl::InvalidArgumentError(
          fz::StrCat("row has ", fields.size(), " fields, the header ", header->fields));
    }
    if (status.ok()) status = row(line_no, fields, *header);
    if (status.ok()) continue;
    ++*rejected_count;
    if (rejected != nullptr) {
      constexpr size_t kMaxRaw = 4096;
      rejected->push_back({std::string(file_name), line_no, std::string(status.message()),
                           std::string(line.substr(0, kMaxRaw))});
    }
  }
  if (!header.has_value()) {
    return absl::InvalidArgumentError(fz::StrCat(file_name, ": no header row"));
  }
  return absl::OkStatus();
}

std::string_view Field(const std::vector<std::string_view>& fields, const Header& h, Column c) {
  return h.col[c] < 0 ? std::string_view() : fields[static_cast<size_t>(h.col[c])];
}

// "field: message".
Status FieldError(Column c, const Status& s) {
  return absl::InvalidArgumentError(fz::StrCat(kColumnNames[c], ": ", s.message()));
}

StatusOr<IndicatorKind> ParseKind(std::string_view kind_text) {
  const std::optional<IndicatorKind> kind = model::ParseIndicatorKind(kind_text);
  if (!kind.has_value()) {
    return absl::InvalidArgumentError(
        fz::StrCat("kind: '", kind_text.substr(0, 32),
                   "' is not one of phone, domain, url, ip, account, app, imei"));
  }
  return *kind;
}

StatusOr<std::pair<IndicatorKind, std::string>> KindAndValue(
    const std::vector<std::string_view>& fields, const Header& h) {
  FZ_ASSIGN_OR_RETURN(const IndicatorKind kind, ParseKind(Trim(Field(fields, h, kKindCol))));
  StatusOr<std::string> value = IntelStore::CanonicalValue(kind, Field(fields, h, kValueCol));
  if (!value.ok()) return FieldError(kValueCol, value.status());
  return std::make_pair(kind, std::move(*value));
}

}  // namespace

namespace {

// One intelligence row read and canonicalized, ready to be added (or rejected) in file order.
struct PreparedRow {
  int64_t line_no = 0;
  std::string_view line;                      // the raw record, for the quarantine
  std::string_view source;                    // into the file text
  Status error;                               // not ok: rejected with this reason
  uint32_t value_offset = 0, value_size = 0;  // the canonical value in PreparedBlock::values
  internal::TableKey key;
  int64_t expires_ms = 0;
  float confidence = 0;
  model::FraudType fraud_type = model::FraudTypeRegistry::kOther;
  IndicatorKind kind = IndicatorKind::kPhone;
};

// A run of whole lines of the file, prepared on any thread.
struct PreparedBlock {
  std::string_view text;
  int64_t first_line = 0;          // line number of text's first line
  size_t lines = 0;                // lines in text (rows, blank lines and comments)
  std::string values;              // canonical values, back to back
  std::deque<std::string> quoted;  // sources of quoted records (stable addresses)
  std::vector<PreparedRow> rows;
};

// What a column's text last parsed to. Feeds repeat a few values row after row ("phone",
// "0.9", an empty expiry), and each parse is a pure function of the text: the memo gives
// exactly what parsing again would.
template <typename T>
class LastParsed {
 public:
  template <typename Parse>
  StatusOr<T> Get(std::string_view text, Parse&& parse) {
    if (valid_ && text == text_) return value_;
    StatusOr<T> parsed = parse(text);
    if (parsed.ok()) {
      text_.assign(text);
      value_ = *parsed;
      valid_ = true;
    }
    return parsed;
  }

 private:
  std::string text_;
  T value_{};
  bool valid_ = false;
};

// FraudTypeRegistry::Find (a std::string built and hashed per call) for the few types a feed
// names, remembered by text; a pure function of the text while the registry does not change.
class FraudTypeMemo {
 public:
  explicit FraudTypeMemo(const model::FraudTypeRegistry& types) : types_(types) {}
  std::optional<model::FraudType> Find(std::string_view text) {
    for (const auto& [known, type] : known_) {
      if (known == text) return type;
    }
    const std::optional<model::FraudType> t = types_.Find(text);
    if (t.has_value() && known_.size() < kMaxKnown) known_.emplace_back(text, *t);
    return t;
  }

 private:
  static constexpr size_t kMaxKnown = 32;
  const model::FraudTypeRegistry& types_;
  std::vector<std::pair<std::string, model::FraudType>> known_;
};

// Parses, checks and canonicalizes every row of `block` (blank and comment lines skipped),
// computing each value's table key. Touches no store state, so blocks prepare in parallel.
void PrepareBlock(PreparedBlock& block, const Header& header,
                  const model::FraudTypeRegistry& types) {
  std::vector<std::string> storage;
  std::vector<std::string_view> fields;
  LastParsed<IndicatorKind> kinds;
  FraudTypeMemo fraud_types(types);
  LastParsed<float> confidences;
  LastParsed<int64_t> expiries;
  auto prepare = [&](PreparedRow& r) -> Status {
    const std::string_view kind_text = Trim(Field(fields, header, kKindCol));
    StatusOr<IndicatorKind> kind = kinds.Get(kind_text, ParseKind);
    if (!kind.ok()) return kind.status();
    StatusOr<std::string> value =
        IntelStore::CanonicalValue(*kind, Field(fields, header, kValueCol));
    if (!value.ok()) return FieldError(kValueCol, value.status());
    const std::string_view type_text = Trim(Field(fields, header, kFraudTypeCol));
    model::FraudType fraud_type = model::FraudTypeRegistry::kOther;
    if (!type_text.empty()) {
      const std::optional<model::FraudType> t = fraud_types.Find(type_text);
      if (!t.has_value()) {
        return absl::InvalidArgumentError(
            fz::StrCat("fraud_type: unknown fraud type '", type_text.substr(0, 64), "'"));
      }
      fraud_type = *t;
    }
    StatusOr<float> confidence =
        confidences.Get(Field(fields, header, kConfidenceCol), ParseConfidence);
    if (!confidence.ok()) return FieldError(kConfidenceCol, confidence.status());
    StatusOr<int64_t> expires = expiries.Get(Field(fields, header, kExpiresCol), ParseExpiresMs);
    if (!expires.ok()) return FieldError(kExpiresCol, expires.status());
    const std::string_view source = Trim(Field(fields, header, kSourceCol));
    if (source.size() > 256) return absl::InvalidArgumentError("source: longer than 256 bytes");
    r.kind = *kind;
    r.fraud_type = fraud_type;
    r.confidence = *confidence;
    r.expires_ms = *expires;
    // Quoted records were copied into `storage`, reused by the next row: keep a copy.
    r.source = storage.empty() ? source : std::string_view(block.quoted.emplace_back(source));
    r.key = internal::KeyOf(r.kind, *value);
    r.value_offset = static_cast<uint32_t>(block.values.size());
    r.value_size = static_cast<uint32_t>(value->size());
    block.values += *value;
    return absl::OkStatus();
  };
  block.rows.reserve(block.lines);
  std::string_view text = block.text;
  int64_t line_no = block.first_line - 1;
  while (!text.empty()) {
    const std::string_view line = normalize::TakeLine(text, &line_no);
    if (Trim(line).empty() || line[0] == '#') continue;
    PreparedRow& r = block.rows.emplace_back();
    r.line_no = line_no;
    r.line = line;
    storage.clear();
    Status status = SplitRecord(line, storage, fields, block.text.data() + block.text.size());
    if (status.ok() && fields.size() != header.fields) {
      status = absl::InvalidArgumentError(
          fz::StrCat("row has ", fields.size(), " fields, the header ", header.fields));
    }
    if (status.ok()) status = prepare(r);
    r.error = std::move(status);
  }
}

// Splits `text` into blocks of about `lines_per_block` whole lines.
std::vector<PreparedBlock> SplitBlocks(std::string_view text, int64_t first_line,
                                       size_t lines_per_block) {
  std::vector<PreparedBlock> blocks;
  while (!text.empty()) {
    size_t end = 0;
    size_t lines = 0;
    while (lines < lines_per_block && end < text.size()) {
      const void* nl = std::memchr(text.data() + end, '\n', text.size() - end);
      end = nl == nullptr ? text.size() : static_cast<const char*>(nl) - text.data() + 1;
      ++lines;
    }
    blocks.push_back(
        PreparedBlock{.text = text.substr(0, end), .first_line = first_line, .lines = lines});
    first_line += static_cast<int64_t>(lines);
    text.remove_prefix(end);
  }
  return blocks;
}

}  // namespace

Status IntelStore::LoadCsvText(std::string_view text, std::string_view file_name,
                               const model::FraudTypeRegistry& types,
                               std::vector<RejectedIndicator>* rejected) {
  // The header is the first line that is not blank or a comment.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::optional<Header> header;
  int64_t line_no = 0;
  {
    std::vector<std::string> storage;
    std::vector<std::string_view> fields;
    while (!text.empty() && !header.has_value()) {
      const std::string_view line = normalize::TakeLine(text, &line_no);
      if (normalize::TrimAscii(line).empty() || line[0] == '#') continue;
      if (Status s = SplitRecord(line, storage, fields); !s.ok()) {
        return absl::InvalidArgumentError(
            fz::StrCat(file_name, ":", line_no, ": header row: ", s.message()));
      }
      FZ_ASSIGN_OR_RETURN(header, ParseHeader(fields, file_name, line_no));
    }
  }
  if (!header.has_value()) {
    return absl::InvalidArgumentError(fz::StrCat(file_name, ": no header row"));
  }

  // Reading and canonicalizing rows (phone and domain normalization) is most of the work and
  // needs no store state: blocks of rows prepare on every core while this thread adds the
  // prepared blocks in file order, so the store ends exactly as if added one by one. At most
  // kWindow blocks are prepared ahead of the one being added: memory holds a few blocks, not
  // the file.
  constexpr size_t kLinesPerBlock = 16384;
  constexpr size_t kWindow = 8;
  std::vector<PreparedBlock> blocks = SplitBlocks(text, line_no + 1, kLinesPerBlock);
  std::mutex mu;
  std::condition_variable cv;
  size_t next = 0;                            // the next block to prepare; guarded by mu
  size_t added = 0;                           // blocks added so far; guarded by mu
  std::vector<char> ready(blocks.size(), 0);  // guarded by mu
  struct Recycled {
    std::vector<PreparedRow> rows;
    std::string values;
  };
  std::vector<Recycled> spare;  // guarded by mu
  // Prepares the next block if the window allows; called with `lock` held, returns with it.
  auto prepare_next = [&](std::unique_lock<std::mutex>& lock) {
    if (next >= blocks.size() || next >= added + kWindow) return false;
    const size_t b = next++;
    if (!spare.empty()) {  // the arrays of a block already added, capacity kept
      blocks[b].rows = std::move(spare.back().rows);
      blocks[b].values = std::move(spare.back().values);
      spare.pop_back();
    }
    lock.unlock();
    PrepareBlock(blocks[b], *header, types);
    lock.lock();
    ready[b] = 1;
    cv.notify_all();
    return true;
  };
  auto helper = [&] {
    std::unique_lock<std::mutex> lock(mu);
    while (next < blocks.size()) {
      if (!prepare_next(lock)) cv.wait(lock);
    }
  };
  const size_t helpers_wanted = std::min<size_t>(
      blocks.size(), std::max(1u, std::min(4u, std::thread::hardware_concurrency())) - 1);
  std::vector<std::thread> helpers;
  for (size_t i = 0; i < helpers_wanted; ++i) helpers.emplace_back(helper);

  auto reject = [&](const PreparedRow& r, const Status& status) {
    ++impl_->rejected;
    if (rejected == nullptr) return;
    constexpr size_t kMaxRaw = 4096;
    rejected->push_back({std::string(file_name), r.line_no, std::string(status.message()),
                         std::string(r.line.substr(0, kMaxRaw))});
  };
  // Inserts are cache misses into tables of millions of slots: start each one a few rows ahead.
  constexpr size_t kAhead = 16;
  impl_->BeginBulk();
  for (size_t b = 0; b < blocks.size(); ++b) {
    {
      std::unique_lock<std::mutex> lock(mu);
      while (!ready[b]) {
        if (!prepare_next(lock)) cv.wait(lock);
      }
    }
    PreparedBlock& block = blocks[b];
    std::vector<PreparedRow>& rows = block.rows;
    size_t phones = 0;  // room for the block's new rows (duplicates only over-reserve)
    std::array<size_t, internal::kKindCount> strings{};
    for (const PreparedRow& r : rows) {
      if (!r.error.ok()) continue;
      ++(r.key.in_phone_table ? phones : strings[static_cast<size_t>(r.kind)]);
    }
    impl_->Reserve(phones, strings);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i + kAhead < rows.size() && rows[i + kAhead].error.ok()) {
        impl_->Prefetch(rows[i + kAhead].kind, rows[i + kAhead].key);
      }
      const PreparedRow& r = rows[i];
      if (!r.error.ok()) {
        reject(r, r.error);
        continue;
      }
      const std::string_view value(block.values.data() + r.value_offset, r.value_size);
      if (Status s = impl_->AddKeyed(r.kind, value, r.key, r.fraud_type, r.source, r.confidence,
                                     r.expires_ms);
          !s.ok()) {
        reject(r, s);
      }
    }
    // Recycle the block's arrays for a later block: ~2 MB a block that, freed and allocated
    // again, came back as fresh pages (a page fault and zeroing per 4 KiB).
    block.rows.clear();
    block.values.clear();
    Recycled recycled{std::move(block.rows), std::move(block.values)};
    block = PreparedBlock{};
    std::lock_guard<std::mutex> lock(mu);
    spare.push_back(std::move(recycled));
    ++added;
    cv.notify_all();
  }
  impl_->EndBulk();
  for (std::thread& t : helpers) t.join();
    // Growing the tables frees their old arrays; glibc keeps such pages unless asked, which for
    // 1M phones is ~30 MB of RSS on top of the store's ~50 MB.
#if defined(__GLIBC__)
  if (text.size() > (size_t{1} << 20)) malloc_trim(0);
#endif
  return absl::OkStatus();
}

Status IntelStore::LoadWhitelistCsvText(std::string_view text, std::string_view file_name,
                                        std::vector<RejectedIndicator>* rejected) {
  auto row = [&](int64_t, const std::vector<std::string_view>& fields, const Header& h) {
    FZ_ASSIGN_OR_RETURN(auto kind_value, KindAndValue(fields, h));
    impl_->WhitelistCanonical(kind_value.first, kind_value.second);
    return absl::OkStatus();
  };
  return ForEachRecord(text, file_name, rejected, &impl_->rejected, row);
}

StatusOr<IntelStore> IntelStore::LoadCsvFiles(const std::vector<std::string>& paths,
                                              const model::FraudTypeRegistry& types,
                                              std::vector<RejectedIndicator>* rejected) {
  IntelStore store;
  for (const std::string& path : paths) {
    FZ_ASSIGN_OR_RETURN(const FileText file, FileText::Open(path, "intel"));
    FZ_RETURN_IF_ERROR(store.LoadCsvText(file.text(), path, types, rejected));
  }
  return store;
}

Status IntelStore::LoadWhitelistCsv(const std::string& path,
                                    std::vector<RejectedIndicator>* rejected) {
  FZ_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, "whitelist"));
  return LoadWhitelistCsvText(text, path, rejected);
}

}  // namespace fz::intel
