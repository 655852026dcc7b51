// Field names and the per-type Event builders. See event_fields.h.

#include "fz/ingest/event_fields.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/time/civil_time.h"
#include "fz/common/str_cat.h"
#include "fz/ingest/field_values.h"
#include "fz/normalize/domain.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/ip.h"
#include "fz/normalize/text.h"
#include "fz/normalize/url.h"

namespace fz::ingest {
namespace {

using internal::AssignText;
using internal::Missing;
using internal::Reject;
using model::EventType;

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"id",
                                                                   "type",
                                                                   "ts",
                                                                   "source",
                                                                   "caller",
                                                                   "callee",
                                                                   "duration_s",
                                                                   "cell_id",
                                                                   "imei",
                                                                   "sender",
                                                                   "receiver",
                                                                   "text",
                                                                   "subscriber",
                                                                   "domain",
                                                                   "url",
                                                                   "ip",
                                                                   "app_id",
                                                                   "app_name",
                                                                   "action",
                                                                   "payer_account",
                                                                   "payer_phone",
                                                                   "payer_id_no",
                                                                   "payee_account",
                                                                   "payee_name",
                                                                   "amount",
                                                                   "channel",
                                                                   "directive_id",
                                                                   "subject_phone",
                                                                   "subject_id_no",
                                                                   "subject_account",
                                                                   "level",
                                                                   "fraud_type",
                                                                   "issuer",
                                                                   "reporter",
                                                                   "suspect_phones",
                                                                   "suspect_accounts",
                                                                   "suspect_domains",
                                                                   "loss"};

const model::FraudTypeRegistry& BuiltinFraudTypes() {
  static const model::FraudTypeRegistry* const kTypes =
      new model::FraudTypeRegistry(model::FraudTypeRegistry::WithBuiltins());
  return *kTypes;
}

// TrimAscii with the test for nothing to trim in two compares (every byte above ' ' is not
// ASCII white space): ids and codes are trimmed on every row, inline (GCC would not).
[[gnu::always_inline]] inline std::string_view Trimmed(std::string_view text) {
  if (!text.empty() && static_cast<unsigned char>(text.front()) > ' ' &&
      static_cast<unsigned char>(text.back()) > ' ') [[likely]] {
    return text;
  }
  return normalize::TrimAscii(text);
}

// Identifier-like text fields are trimmed; free text (sms text, names) is kept as sent. Both
// are assigned in place: building a temporary and moving it costs a second copy per field,
// since the values are short enough for the small-string buffer, where a move copies.
[[gnu::always_inline]] inline void AssignTrimmed(const RawRecord& r, Field f, std::string* out) {
  AssignText(Trimmed(r.Get(f)), out);
}
void AssignAsSent(const RawRecord& r, Field f, std::string* out) { AssignText(r.Get(f), out); }

// Whether `ts`, a timestamp ParseTimestamp accepted, has the ISO layout
// "YYYY-MM-DDTHH:MM:SS" + fraction and offset, so that bytes 17-18 are its seconds. A first
// byte that is a digit rules out leading blanks (which ParseTimestamp trims, shifting the
// layout); a '-' rules out epoch milliseconds.
bool HasMinuteLayout(std::string_view ts) {
  return ts.size() >= 20 && ts.size() <= 64 && ts[0] >= '0' && ts[0] <= '9' && ts[4] == '-' &&
         ts[7] == '-' && ts[13] == ':' && ts[16] == ':' && ts[17] >= '0' && ts[17] <= '5' &&
         ts[18] >= '0' && ts[18] <= '9';
}

// Whether `ts` is `last` (a timestamp with HasMinuteLayout) with at most its seconds changed,
// to valid seconds 00-59 (`*second`): then `ts` is in last's minute, exactly as
// ParseTimestamp would compute it, without parsing the date again (rows of one minute differ
// in their seconds only). Compared in 8-byte words, the last one overlapping, with bytes
// 17-18 masked out, so that the only data-dependent branch is the answer: every row compares
// its timestamp with the previous row's. Seconds over 59 are left to ParseTimestamp to reject.
// `tail_keep` is TailKeep(last.size()).
bool SameMinuteAs(std::string_view ts, std::string_view last, uint64_t tail_keep, int* second) {
  const size_t n = ts.size();
  if (n != last.size()) return false;  // both >= 20 and <= 64 then
  auto word = [](std::string_view s, size_t at) {
    uint64_t w;
    std::memcpy(&w, s.data() + at, 8);
    return w;
  };
  // Bytes [0, 17): words at 0, 8 and 9.
  uint64_t diff =
      (word(ts, 0) ^ word(last, 0)) | (word(ts, 8) ^ word(last, 8)) | (word(ts, 9) ^ word(last, 9));
  // Bytes [19, n): whole words, then the last 8 bytes without those below 19 (little-endian:
  // byte k of a word is bits 8k..8k+7).
  size_t at = 19;
  for (; at + 8 <= n; at += 8) diff |= word(ts, at) ^ word(last, at);
  const size_t tail = n - 8;
  diff |= (word(ts, tail) ^ word(last, tail)) & tail_keep;
  const auto tens = static_cast<unsigned>(ts[17] - '0');
  const auto ones = static_cast<unsigned>(ts[18] - '0');
  if (diff != 0 || tens > 5 || ones > 9) return false;
  *second = static_cast<int>(tens * 10 + ones);
  return true;
}

// The mask of SameMinuteAs's last word for timestamps of `n` bytes (20 to 64): the bytes at
// 19 and above of the word at n - 8.
uint64_t TailKeep(size_t n) {
  const size_t tail = n - 8;
  return tail >= 19 ? ~uint64_t{0} : ~uint64_t{0} << (8 * (19 - tail));
}

// The body of `out` as a T, reused when it already is one: ingest builds into recycled batch
// slots (batch_sink.h), which mostly held a row of the same file and so of the same type; its
// strings keep their buffers. Every Build* below must therefore write every field of T,
// absent ones included (event_fields_test builds into slots of every type and compares).
template <typename T>
T& BodyFor(model::Event* out) {
  if (T* body = std::get_if<T>(&out->body)) return *body;
  return out->body.emplace<T>();
}

}  // namespace

std::string_view FieldName(Field field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<Field> FindField(std::string_view name) {
  for (size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

std::vector<Field> RequiredFields(EventType type) {
  switch (type) {
    case EventType::kCall:
      return {Field::kCaller, Field::kCallee};
    case EventType::kSms:
      return {Field::kSender, Field::kReceiver};
    case EventType::kNet:
      return {Field::kSubscriber};
    case EventType::kApp:
      return {Field::kSubscriber, Field::kAppId};
    case EventType::kTransfer:
      return {Field::kPayerAccount, Field::kPayeeAccount, Field::kAmount};
    case EventType::kDirective:
      return {};
    case EventType::kReport:
      return {Field::kReporter};
  }
  return {};
}

std::vector<Field> OneOfFields(EventType type) {
  if (type == EventType::kNet) return {Field::kDomain, Field::kUrl, Field::kIp};
  if (type == EventType::kDirective) {
    return {Field::kSubjectPhone, Field::kSubjectIdNo, Field::kSubjectAccount};
  }
  return {};
}

bool IsListField(Field field) {
  return field == Field::kSuspectPhones || field == Field::kSuspectAccounts ||
         field == Field::kSuspectDomains;
}

size_t RawRecord::ListIndex(Field field) {
  return static_cast<size_t>(field) - static_cast<size_t>(Field::kSuspectPhones);
}

void RawRecord::AddListItem(Field field, std::string_view item) {
  if (!IsListField(field) || item.empty()) return;
  list_items_[ListIndex(field)].push_back(item);
  present_ |= Bit(field);
  has_list_items_ = true;
}

uint64_t RawRecord::Columns::DropEmpty(uint64_t slots) const {
  uint64_t present = 0;
  for (size_t i = 0; i < kFieldCount; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    if ((slots & bit) != 0 && !values_[i].empty()) present |= bit;
  }
  return present;
}

void RawRecord::ClearListItems() {
  for (auto& items : list_items_) items.clear();
  has_list_items_ = false;
}

void RawRecord::ListItems(Field field, std::vector<std::string_view>* out) const {
  out->clear();
  if (!IsListField(field) || !Has(field)) return;
  const auto& items = list_items_[ListIndex(field)];
  if (!items.empty()) {
    out->assign(items.begin(), items.end());
    return;
  }
  std::string_view rest = values_[Index(field)];
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view item = normalize::TrimAscii(rest.substr(0, semi));
    if (!item.empty()) out->push_back(item);
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
}

EventBuilder::EventBuilder(const ReadOptions& options)
    : phones_(normalize::PhoneNormalizer::Default()),
      fraud_types_(options.fraud_types != nullptr ? options.fraud_types : &BuiltinFraudTypes()) {}

// A time without a fraction of a second (nearly all) is built from whole seconds, which is
// branch-free; absl::Duration arithmetic has branches that mispredict, so the other minutes
// keep a table of their seconds.
inline absl::Time EventBuilder::TimeAtSecond(int second) {
  if (whole_minute_) [[likely]]
    return absl::FromUnixSeconds(minute_unix_s_ + second);
  return SecondOfOddMinute(second);
}

// Most phone fields are bare mobiles of a cached 号段: that case inline in each Build*, the
// rest (absent, other shapes, errors) in PhoneSlow.
inline bool EventBuilder::Phone(const RawRecord& r, Field f, bool required,
                                model::PhoneNumber* out) {
  if (r.Has(f) && phones_.CanonicalBareMobile(r.Get(f), &out->mutable_value(), &flags_))
      [[likely]] {
    return true;
  }
  return PhoneSlow(r, f, required, out);
}

// Inline in TryBuild (below): every row takes it.
[[gnu::always_inline]] inline bool EventBuilder::BuildHeader(const RawRecord& r,
                                                             std::optional<EventType> default_type,
                                                             model::EventHeader* h) {
  if (r.Has(Field::kType)) {
    std::string_view name = Trimmed(r.Get(Field::kType));
    std::optional<EventType> type = model::ParseEventType(name);
    if (!type.has_value()) {
      return Fail(Reject("unknown_type", Field::kType, name,
                         "is not one of call, sms, net, app, transfer, directive, report"));
    }
    h->type = *type;
  } else if (default_type.has_value()) {
    h->type = *default_type;
  } else {
    return Fail(Missing(Field::kType));
  }
  std::string_view id = Trimmed(r.Get(Field::kId));
  if (id.empty()) return Fail(Missing(Field::kId));
  if (!r.Has(Field::kTs)) return Fail(Missing(Field::kTs));
  const std::string_view ts = r.Get(Field::kTs);
  int second = 0;
  if (minute_layout_ && SameMinuteAs(ts, last_ts_text_, ts_tail_keep_, &second)) {
    last_ts_ = TimeAtSecond(second);
  } else if (!minute_layout_ && !last_ts_text_.empty() && ts == last_ts_text_) {
    // Another layout (epoch milliseconds): the previous row's time.
  } else {
    if (!ParseTs(ts)) return false;
  }
  AssignText(id, &h->id.mutable_value());
  h->time = last_ts_;
  event_time_ = last_ts_;
  AssignTrimmed(r, Field::kSource, &h->source);
  return true;
}

Status EventBuilder::Build(const RawRecord& record, std::optional<EventType> default_type,
                           model::Event* out) {
  if (TryBuild(record, default_type, out)) return absl::OkStatus();
  return std::move(error_);
}

bool EventBuilder::TryBuild(const RawRecord& record, std::optional<EventType> default_type,
                            model::Event* out) {
  if (!BuildHeader(record, default_type, &out->header)) return false;
  switch (out->header.type) {
    case EventType::kCall:
      return BuildCall(record, out);
    case EventType::kSms:
      return BuildSms(record, out);
    case EventType::kNet:
      return BuildNet(record, out);
    case EventType::kApp:
      return BuildApp(record, out);
    case EventType::kTransfer:
      return BuildTransfer(record, out);
    case EventType::kDirective:
      return BuildDirective(record, out);
    case EventType::kReport:
      return BuildReport(record, out);
  }
  return Fail(absl::InternalError("unhandled event type"));
}

bool EventBuilder::ParseTs(std::string_view ts) {
  StatusOr<absl::Time> time = ParseTimestamp(ts);
  if (!time.ok()) return Fail(Reject("bad_timestamp", Field::kTs, ts, time.status()));
  last_ts_ = *time;
  last_ts_text_.assign(ts);
  minute_layout_ = HasMinuteLayout(ts);
  if (minute_layout_) {
    minute_start_ = *time - absl::Seconds((ts[17] - '0') * 10 + (ts[18] - '0'));
    seconds_known_ = 0;
    ts_tail_keep_ = TailKeep(ts.size());
    minute_unix_s_ = absl::ToUnixSeconds(minute_start_);
    whole_minute_ = absl::FromUnixSeconds(minute_unix_s_) == minute_start_;
  }
  return true;
}

absl::Time EventBuilder::SecondOfOddMinute(int second) {
  const uint64_t bit = uint64_t{1} << second;
  if ((seconds_known_ & bit) == 0) {
    second_times_[static_cast<size_t>(second)] = minute_start_ + absl::Seconds(second);
    seconds_known_ |= bit;
  }
  return second_times_[static_cast<size_t>(second)];
}

bool EventBuilder::PhoneSlow(const RawRecord& r, Field f, bool required, model::PhoneNumber* out) {
  if (!r.Has(f)) {
    out->mutable_value().clear();
    return !required || Fail(Missing(f));
  }
  std::string_view raw = r.Get(f);
  if (phones_.CanonicalBareMobile(raw, &out->mutable_value(), &flags_)) return true;
  Status s = phones_.NormalizeKey(raw, &key_);
  if (!s.ok()) return Fail(Reject("bad_phone", f, raw, s));
  out->mutable_value().assign(key_.canonical);
  flags_ = key_.flags;
  return true;
}

bool EventBuilder::Account(const RawRecord& r, Field f, bool required, model::AccountNo* out) {
  if (!r.Has(f)) {
    out->mutable_value().clear();
    return !required || Fail(Missing(f));
  }
  Status s = NormalizeAccountTo(r.Get(f), &out->mutable_value());
  if (!s.ok()) return Fail(Reject("bad_account", f, r.Get(f), s));
  return true;
}

bool EventBuilder::Amount(const RawRecord& r, Field f, bool required, model::Money* out) {
  *out = model::Money();
  if (!r.Has(f)) return !required || Fail(Missing(f));
  StatusOr<model::Money> money = ParseYuan(r.Get(f));
  if (!money.ok()) return Fail(Reject("bad_amount", f, r.Get(f), money.status()));
  *out = *money;
  return true;
}

bool EventBuilder::IdNo(const RawRecord& r, Field f, std::string* out) {
  out->clear();
  if (!r.Has(f)) return true;
  // "Today" is the event's own day in China: an ID number is checked against the time of the
  // event, so replaying old files gives the same verdicts.
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
  StatusOr<normalize::IdCardInfo> id =
      normalize::NormalizeIdCard(r.Get(f), absl::ToCivilDay(event_time_, kChina));
  if (!id.ok()) return Fail(Reject("bad_id_no", f, r.Get(f), id.status()));
  *out = std::move(id->number);
  return true;
}

bool EventBuilder::FraudTypeField(const RawRecord& r, model::FraudType* out) {
  *out = model::FraudTypeRegistry::kOther;
  if (!r.Has(Field::kFraudType)) return true;
  std::string_view text = normalize::TrimAscii(r.Get(Field::kFraudType));
  std::optional<model::FraudType> type = fraud_types_->Find(text);
  if (!type.has_value()) {
    return Fail(Reject("unknown_fraud_type", Field::kFraudType, text,
                       "is not a fraud type code or name (see `fanzha inspect fraud-types`)"));
  }
  *out = *type;
  return true;
}

bool EventBuilder::BuildCall(const RawRecord& r, model::Event* out) {
  model::CallEvent& call = BodyFor<model::CallEvent>(out);
  if (!Phone(r, Field::kCaller, true, &call.caller)) return false;
  call.caller_flags = flags_.bits() | model::kPartyFlagsComplete;
  if (!Phone(r, Field::kCallee, true, &call.callee)) return false;
  call.duration_s = 0;
  if (r.Has(Field::kDurationS)) {
    std::string_view text = Trimmed(r.Get(Field::kDurationS));
    int32_t seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) {
      return Fail(
          Reject("bad_duration", Field::kDurationS, text, "is not a whole number of seconds >= 0"));
    }
    call.duration_s = seconds;
  }
  AssignTrimmed(r, Field::kCellId, &call.cell_id);
  AssignTrimmed(r, Field::kImei, &call.imei);
  return true;
}

bool EventBuilder::BuildSms(const RawRecord& r, model::Event* out) {
  model::SmsEvent& sms = BodyFor<model::SmsEvent>(out);
  if (!Phone(r, Field::kSender, true, &sms.sender)) return false;
  sms.sender_flags = flags_.bits() | model::kPartyFlagsComplete;
  if (!Phone(r, Field::kReceiver, true, &sms.receiver)) return false;
  AssignAsSent(r, Field::kText, &sms.text);
  return true;
}

bool EventBuilder::BuildNet(const RawRecord& r, model::Event* out) {
  model::NetEvent& net = BodyFor<model::NetEvent>(out);
  if (!Phone(r, Field::kSubscriber, true, &net.subscriber)) return false;
  if (!r.Has(Field::kDomain) && !r.Has(Field::kUrl) && !r.Has(Field::kIp)) {
    return Fail(absl::InvalidArgumentError("missing_field: domain, url or ip is required"));
  }
  net.url.clear();
  net.ip.clear();
  if (!r.Has(Field::kDomain)) {
    net.domain.mutable_value().clear();
  } else {
    const std::string_view raw = r.Get(Field::kDomain);
    // Plain names (nearly all) are checked and lower-cased in place, touching nothing else;
    // the memo is for the rest, since it misses the cache when a feed visits many domains
    // about equally often.
    if (!normalize::PlainDomainNameTo(raw, &net.domain.mutable_value())) {
      std::string_view known;
      if (domains_.Find(raw, &known)) {
        AssignText(known, &net.domain.mutable_value());
      } else {
        StatusOr<std::string> d = normalize::NormalizeDomainName(raw);
        if (!d.ok()) return Fail(Reject("bad_domain", Field::kDomain, raw, d.status()));
        domains_.Insert(raw, *d);
        net.domain = model::Domain(*std::move(d));
      }
    }
  }
  if (r.Has(Field::kIp)) {
    StatusOr<normalize::IpInfo> ip = normalize::NormalizeIp(r.Get(Field::kIp));
    if (!ip.ok()) return Fail(Reject("bad_ip", Field::kIp, r.Get(Field::kIp), ip.status()));
    net.ip = std::move(ip->canonical);
  }
  if (r.Has(Field::kUrl)) {
    StatusOr<normalize::UrlInfo> url = normalize::NormalizeUrl(r.Get(Field::kUrl));
    if (!url.ok()) return Fail(Reject("bad_url", Field::kUrl, r.Get(Field::kUrl), url.status()));
    net.url = std::move(url->url);
    // A URL alone still tells which host was visited: fill domain (or ip) from it.
    if (!r.Has(Field::kDomain) && url->domain.has_value()) {
      net.domain = model::Domain(std::move(url->domain->domain));
    }
    if (!r.Has(Field::kIp) && url->ip.has_value()) net.ip = std::move(url->ip->canonical);
  }
  return true;
}

bool EventBuilder::BuildApp(const RawRecord& r, model::Event* out) {
  model::AppEvent& app = BodyFor<model::AppEvent>(out);
  if (!Phone(r, Field::kSubscriber, true, &app.subscriber)) return false;
  AssignTrimmed(r, Field::kAppId, &app.app_id);
  if (app.app_id.empty()) return Fail(Missing(Field::kAppId));
  // Package names are matched case-insensitively, as intelligence stores them (lower case).
  for (char& c : app.app_id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  AssignAsSent(r, Field::kAppName, &app.app_name);
  AssignTrimmed(r, Field::kAction, &app.action);
  AssignTrimmed(r, Field::kImei, &app.imei);
  return true;
}

bool EventBuilder::BuildTransfer(const RawRecord& r, model::Event* out) {
  model::TransferEvent& t = BodyFor<model::TransferEvent>(out);
  if (!Account(r, Field::kPayerAccount, true, &t.payer_account)) return false;
  if (!Phone(r, Field::kPayerPhone, false, &t.payer_phone)) return false;
  if (!IdNo(r, Field::kPayerIdNo, &t.payer_id_no)) return false;
  if (!Account(r, Field::kPayeeAccount, true, &t.payee_account)) return false;
  if (!Amount(r, Field::kAmount, true, &t.amount)) return false;
  AssignAsSent(r, Field::kPayeeName, &t.payee_name);
  AssignTrimmed(r, Field::kChannel, &t.channel);
  return true;
}

bool EventBuilder::BuildDirective(const RawRecord& r, model::Event* out) {
  model::DirectiveEvent& d = BodyFor<model::DirectiveEvent>(out);
  if (!r.Has(Field::kSubjectPhone) && !r.Has(Field::kSubjectIdNo) &&
      !r.Has(Field::kSubjectAccount)) {
    return Fail(absl::InvalidArgumentError(
        "missing_field: subject_phone, subject_id_no or subject_account is required"));
  }
  if (!Phone(r, Field::kSubjectPhone, false, &d.subject_phone)) return false;
  if (!IdNo(r, Field::kSubjectIdNo, &d.subject_id_no)) return false;
  if (!Account(r, Field::kSubjectAccount, false, &d.subject_account)) return false;
  d.level = model::WarningLevel::kOrange;  // DirectiveEvent's default
  if (r.Has(Field::kLevel)) {
    std::string_view text = normalize::TrimAscii(r.Get(Field::kLevel));
    std::optional<model::WarningLevel> level = model::ParseWarningLevel(text);
    if (!level.has_value()) {
      return Fail(
          Reject("bad_level", Field::kLevel, text, "is not red, orange or yellow (红/橙/黄)"));
    }
    d.level = *level;
  }
  if (!FraudTypeField(r, &d.fraud_type)) return false;
  AssignTrimmed(r, Field::kDirectiveId, &d.directive_id);
  AssignAsSent(r, Field::kIssuer, &d.issuer);
  AssignAsSent(r, Field::kText, &d.text);
  return true;
}

bool EventBuilder::BuildReport(const RawRecord& r, model::Event* out) {
  model::ReportEvent& rep = BodyFor<model::ReportEvent>(out);
  if (!Phone(r, Field::kReporter, true, &rep.reporter)) return false;
  rep.suspect_phones.clear();
  rep.suspect_accounts.clear();
  rep.suspect_domains.clear();
  r.ListItems(Field::kSuspectPhones, &items_);
  for (std::string_view item : items_) {
    Status s = phones_.NormalizeKey(item, &key_);
    if (!s.ok()) return Fail(Reject("bad_phone", Field::kSuspectPhones, item, s));
    rep.suspect_phones.emplace_back(key_.canonical);
  }
  r.ListItems(Field::kSuspectAccounts, &items_);
  for (std::string_view item : items_) {
    StatusOr<std::string> account = NormalizeAccount(item);
    if (!account.ok()) {
      return Fail(Reject("bad_account", Field::kSuspectAccounts, item, account.status()));
    }
    rep.suspect_accounts.emplace_back(*std::move(account));
  }
  r.ListItems(Field::kSuspectDomains, &items_);
  for (std::string_view item : items_) {
    StatusOr<std::string> d = normalize::NormalizeDomainName(item);
    if (!d.ok()) return Fail(Reject("bad_domain", Field::kSuspectDomains, item, d.status()));
    rep.suspect_domains.emplace_back(*std::move(d));
  }
  if (!FraudTypeField(r, &rep.fraud_type)) return false;
  if (!Amount(r, Field::kLoss, false, &rep.loss)) return false;
  AssignAsSent(r, Field::kText, &rep.text);
  return true;
}

}  // namespace fz::ingest
