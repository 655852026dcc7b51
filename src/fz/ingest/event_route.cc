// EventBuilder::Route: a row's time and subject, without building its event, for the readers
// of one detector shard (ReadOptions::shard, docs/adr/0006). The subject must be exactly the
// one detect::SubjectOf finds in Build's event, or a subject's events would split across
// shards: each case below mirrors the Build* function of its type, field by field, with the
// same normalizers. event_route_test compares the two on random rows.

#include <cstring>

#include "absl/time/civil_time.h"
#include "fz/ingest/event_fields.h"
#include "fz/normalize/id_card.h"
#include "fz/normalize/text.h"

namespace fz::ingest {

using model::EventType;

EventBuilder::RowRoute EventBuilder::Route(const RawRecord& r,
                                           std::optional<EventType> default_type) {
  RowRoute route;
  if (r.Has(Field::kTs) && RowTs(r.Get(Field::kTs)).ok()) route.time = last_ts_;
  std::optional<EventType> type = default_type;
  // As BuildHeader: a `type` field that does not parse fails the row, whatever the file name.
  if (r.Has(Field::kType)) type = model::ParseEventType(normalize::TrimAscii(r.Get(Field::kType)));
  if (type.has_value()) route.subject = RouteSubject(r, *type, route.time);
  return route;
}

namespace {
// Whether `text` is 11 ASCII digits that make a bare Chinese mobile number ("1[3-9]" first),
// 8 bytes at a time: the subject of most rows.
bool IsBareMobile(std::string_view text) {
  if (text.size() != 11 || text[0] != '1' || text[1] < '3' || text[1] > '9') return false;
  uint64_t head;
  uint32_t tail;
  std::memcpy(&head, text.data(), 8);
  std::memcpy(&tail, text.data() + 7, 4);
  // A byte is a digit when its high nibble is 3 and adding 6 keeps it there.
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull;
  constexpr uint64_t kThrees = 0x3030303030303030ull;
  constexpr uint64_t kSixes = 0x0606060606060606ull;
  return (head & kHigh) == kThrees && ((head + kSixes) & kHigh) == kThrees &&
         (tail & 0xF0F0F0F0u) == 0x30303030u && ((tail + 0x06060606u) & 0xF0F0F0F0u) == 0x30303030u;
}
}  // namespace

EventBuilder::RowRoute EventBuilder::RoutePhone(std::string_view ts, std::string_view phone) {
  RowRoute route;
  if (!ts.empty() && RowTs(ts).ok()) route.time = last_ts_;
  if (IsBareMobile(phone)) {
    // PhoneNormalizer::Canonical's answer for a bare mobile ("+86" and the digits), written
    // here without a string: this runs for every row on every shard.
    std::memcpy(route_phone_, "+86", 3);
    std::memcpy(route_phone_ + 3, phone.data(), 11);
    route.subject = std::string_view(route_phone_, 14);
  } else if (phones_.Canonical(phone, &key_).ok()) {
    route.subject = std::string_view(key_.canonical);
  }
  return route;
}

std::optional<std::string_view> EventBuilder::RouteSubject(const RawRecord& r, EventType type,
                                                           std::optional<absl::Time> time) {
  auto phone = [&](Field f) -> std::optional<std::string_view> {
    if (!r.Has(f) || !phones_.Canonical(r.Get(f), &key_).ok()) return std::nullopt;
    return std::string_view(key_.canonical);
  };
  auto account = [&](Field f) -> std::optional<std::string_view> {
    if (!r.Has(f)) return std::nullopt;
    StatusOr<std::string> normalized = NormalizeAccount(r.Get(f));
    if (!normalized.ok()) return std::nullopt;
    route_scratch_ = *std::move(normalized);
    return std::string_view(route_scratch_);
  };
  switch (type) {
    case EventType::kCall:
      return phone(Field::kCallee);
    case EventType::kSms:
      return phone(Field::kReceiver);
    case EventType::kNet:
    case EventType::kApp:
      return phone(Field::kSubscriber);
    case EventType::kReport:
      return phone(Field::kReporter);
    case EventType::kTransfer:
      // The payer's phone when given (a bad one fails the row), else the payer's account.
      return r.Has(Field::kPayerPhone) ? phone(Field::kPayerPhone) : account(Field::kPayerAccount);
    case EventType::kDirective: {
      if (r.Has(Field::kSubjectPhone)) return phone(Field::kSubjectPhone);
      if (r.Has(Field::kSubjectAccount)) return account(Field::kSubjectAccount);
      // An ID number is checked against the event's day in China, as IdNo() does.
      if (!r.Has(Field::kSubjectIdNo) || !time.has_value()) return std::nullopt;
      static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
      StatusOr<normalize::IdCardInfo> id =
          normalize::NormalizeIdCard(r.Get(Field::kSubjectIdNo), absl::ToCivilDay(*time, kChina));
      if (!id.ok()) return std::nullopt;
      route_scratch_ = std::move(id->number);
      return std::string_view(route_scratch_);
    }
  }
  return std::nullopt;
}

std::optional<absl::Time> EventBuilder::RowTime(const RawRecord& record) {
  if (!record.Has(Field::kTs)) return std::nullopt;
  StatusOr<absl::Time> time = ParseTimestamp(record.Get(Field::kTs));
  if (!time.ok()) return std::nullopt;
  return *time;
}

}  // namespace fz::ingest
