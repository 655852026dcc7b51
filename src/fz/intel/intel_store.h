// IntelStore (情报库): indicators of fraud — phones, domains, URLs, IPs, accounts, apps, IMEIs —
// with provenance, expiry and a whitelist, matched against every event.
//
//   FZ_ASSIGN_OR_RETURN(IntelStore intel, IntelStore::LoadCsvFiles({"intel.csv"}, types, &bad));
//   if (const IntelMatch* m = intel.MatchPhone("+85517652903", event_time)) {
//     ... m->fraud_type, m->confidence, m->source ...
//   }
//
// Lookups never allocate and are safe from many threads once loading is done (the store is
// immutable after construction, except through the explicit mutation calls — Add, Whitelist
// and the Load* members — which callers must not run concurrently with lookups). Memory:
// about 48 bytes per phone indicator (1M phones ~ 50 MB), see README.md.
//
// Canonical values per kind (CanonicalValue): phone — PhoneNormalizer's canonical form (E.164
// or "h:<hex>"); domain — NormalizeDomain().domain (a leading "*." is dropped); url —
// NormalizeUrl().url, matched without its scheme; ip — NormalizeIp().canonical; account and
// imei — digits only (separators and full-width digits folded); app — as given, trimmed and
// ASCII lower-cased.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fz/common/status.h"
#include "fz/model/fraud_type.h"
#include "fz/model/indicator.h"

namespace fz::intel {

// What a lookup returns. Points into the store; valid until the store is changed or destroyed.
struct IntelMatch {
  model::IndicatorKind kind = model::IndicatorKind::kPhone;
  model::FraudType fraud_type;
  float confidence = 1;
  absl::Time expires_at = absl::InfiniteFuture();
  std::string_view value;   // the indicator as stored (canonical), e.g. "task-rebate.top"
  std::string_view source;  // provenance
};

// A row of an intelligence file that could not be loaded.
struct RejectedIndicator {
  std::string file;
  int64_t line = 0;
  std::string reason;
  std::string raw;
};

class IntelStore {
 public:
  IntelStore();
  ~IntelStore();
  // A moved-from store may only be destroyed or assigned to. Moving keeps IntelMatch pointers.
  IntelStore(IntelStore&&) noexcept;
  IntelStore& operator=(IntelStore&&) noexcept;

  // Loads CSV files `kind,value,fraud_type,source,confidence,expires_at` (docs/formats.md).
  // Bad rows are appended to `rejected` (never silently dropped) and loading goes on; a file
  // that cannot be opened or lacks a required column is an error.
  static StatusOr<IntelStore> LoadCsvFiles(const std::vector<std::string>& paths,
                                           const model::FraudTypeRegistry& types,
                                           std::vector<RejectedIndicator>* rejected);

  // LoadCsvFiles for one file already in memory, adding to this store; `file_name` only names
  // the source in rejections and errors. Columns are found by the header row (any order,
  // unknown columns ignored, `kind` and `value` required); blank lines and lines starting with
  // '#' are skipped; a UTF-8 BOM and CRLF line ends are accepted. `rejected` may be null
  // (rejections are then only counted in rejected_count()).
  Status LoadCsvText(std::string_view text, std::string_view file_name,
                     const model::FraudTypeRegistry& types,
                     std::vector<RejectedIndicator>* rejected);

  // Whitelist files: the same layout, only `kind` and `value` are read. Every listed value is
  // whitelisted (Whitelist below); bad rows are rejected as in LoadCsvText.
  Status LoadWhitelistCsv(const std::string& path, std::vector<RejectedIndicator>* rejected);
  Status LoadWhitelistCsvText(std::string_view text, std::string_view file_name,
                              std::vector<RejectedIndicator>* rejected);

  // The canonical form of `raw` for `kind` (see the top of this file), or InvalidArgument.
  static StatusOr<std::string> CanonicalValue(model::IndicatorKind kind, std::string_view raw);

  // Adds one indicator; its value is normalized for its kind. A later Add of the same kind
  // and value replaces the earlier (newest intelligence wins).
  Status Add(const model::Indicator& indicator);

  // Whitelists a value (normalized for its kind): it never matches again, even if re-added.
  Status Whitelist(model::IndicatorKind kind, std::string_view value);

  // Exact matches on canonical values (phones in E.164 or "h:<hex>", digits-only accounts).
  // Expired (expires_at <= now) and whitelisted indicators do not match.
  const IntelMatch* MatchPhone(std::string_view e164, absl::Time now) const {
    return MatchPhone(e164, absl::ToUnixMillis(now));
  }
  const IntelMatch* MatchAccount(std::string_view account, absl::Time now) const {
    return MatchAccount(account, absl::ToUnixMillis(now));
  }
  const IntelMatch* MatchApp(std::string_view app_id, absl::Time now) const {
    return MatchApp(app_id, absl::ToUnixMillis(now));
  }
  const IntelMatch* MatchImei(std::string_view imei, absl::Time now) const {
    return MatchImei(imei, absl::ToUnixMillis(now));
  }
  const IntelMatch* MatchIp(std::string_view ip, absl::Time now) const {
    return MatchIp(ip, absl::ToUnixMillis(now));
  }

  // A domain matches itself and every subdomain ("a.b.bad.top" matches "bad.top"); the most
  // specific active indicator wins. Input: lower-case ASCII domain.
  const IntelMatch* MatchDomain(std::string_view domain, absl::Time now) const {
    return MatchDomain(domain, absl::ToUnixMillis(now));
  }

  // By normalized URL first, then by its host's domain (or IP).
  const IntelMatch* MatchUrl(std::string_view normalized_url, absl::Time now) const {
    return MatchUrl(normalized_url, absl::ToUnixMillis(now));
  }

  // The same at `now_ms` = absl::ToUnixMillis(now): the detector has it once per event, and
  // absl's conversion is a call into the shared library per lookup.
  const IntelMatch* MatchPhone(std::string_view e164, int64_t now_ms) const;
  const IntelMatch* MatchAccount(std::string_view account, int64_t now_ms) const;
  const IntelMatch* MatchApp(std::string_view app_id, int64_t now_ms) const;
  const IntelMatch* MatchImei(std::string_view imei, int64_t now_ms) const;
  const IntelMatch* MatchIp(std::string_view ip, int64_t now_ms) const;
  const IntelMatch* MatchDomain(std::string_view domain, int64_t now_ms) const;
  const IntelMatch* MatchUrl(std::string_view normalized_url, int64_t now_ms) const;

  // A hint: MatchPhone(e164) will follow shortly, so start loading the part of the phone
  // filter it reads (a random probe into ~2 MB, a cache miss). Changes nothing else.
  void PrefetchPhone(std::string_view e164) const;
  // The same for MatchDomain (the filter blocks of the domain and its parents) and MatchAccount.
  void PrefetchDomain(std::string_view domain) const;
  void PrefetchAccount(std::string_view account) const;

  size_t size() const;  // active + expired, not whitelisted
  size_t CountOfKind(model::IndicatorKind kind) const;
  size_t MemoryBytes() const;  // approximate heap use (matches count once they are touched)

  size_t whitelist_size() const;  // values on the whitelist

  // The whitelist doubles as the "known good" reputation list: reviewed values and popular
  // sites and apps (data/reputation/known_good.csv). Rules read it as `domain.known` and
  // `app.known`. `canonical` as CanonicalValue gives it. Never allocates.
  bool IsWhitelisted(model::IndicatorKind kind, std::string_view canonical) const;
  // `domain` (lower-case ASCII) or one of its parent domains, the bare TLD excepted, is listed.
  bool IsWhitelistedDomain(std::string_view domain) const;
  size_t rejected_count() const;  // rows rejected by the Load* calls so far
  // Adds and loaded rows ignored because their value is whitelisted (not errors, but counted).
  size_t whitelisted_skips() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fz::intel
