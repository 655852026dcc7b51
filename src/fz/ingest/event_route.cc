// EventBuilder::Route: a row's time and subject, without building its event, for the readers
// of one detector shard (ReadOptions::shard, docs/adr/0006). The subject must be exactly the
// one detect::SubjectOf finds in Build's event, or a subject's events would split across
// shards: each case below mirrors the Build* function of its type, field by field, with the
// same normalizers. event_route_test compares the two on random rows.

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

EventBuilder::RowRoute EventBuilder::RoutePhone(std::string_view ts, std::string_view phone) {
  RowRoute route;
  if (!ts.empty() && RowTs(ts).ok()) route.time = last_ts_;
  if (phones_.Canonical(phone, &key_).ok()) route.subject = std::string_view(key_.canonical);
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
