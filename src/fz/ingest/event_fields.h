// The field -> Event mapping shared by the CSV and JSONL readers, so that both formats accept
// the same names, apply the same normalization and reject with the same reason codes.
//
//   RawRecord rec;                       // reuse per thread: no allocation once warm
//   rec.Set(Field::kId, "cmcc-1"); rec.Set(Field::kCaller, "+85517652903"); ...
//   EventBuilder builder(options);       // one per thread (holds scratch buffers)
//   Status s = builder.Build(rec, /*default_type=*/EventType::kCall, &event);
//   // s.message(): "bad_phone: callee '12ab' contains letters"
//
// Values are borrowed (std::string_view into the reader's buffer or the JSON parser); Build
// copies what it keeps. Not thread-safe: one RawRecord and one EventBuilder per thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/status.h"
#include "fz/ingest/event_reader.h"
#include "fz/ingest/value_memo.h"
#include "fz/model/event.h"
#include "fz/normalize/phone_normalizer.h"

namespace fz::ingest {

// Every field name of docs/formats.md "Events".
enum class Field : uint8_t {
  kId,
  kType,
  kTs,
  kSource,
  kCaller,
  kCallee,
  kDurationS,
  kCellId,
  kImei,
  kSender,
  kReceiver,
  kText,
  kSubscriber,
  kDomain,
  kUrl,
  kIp,
  kAppId,
  kAppName,
  kAction,
  kPayerAccount,
  kPayerPhone,
  kPayerIdNo,
  kPayeeAccount,
  kPayeeName,
  kAmount,
  kChannel,
  kDirectiveId,
  kSubjectPhone,
  kSubjectIdNo,
  kSubjectAccount,
  kLevel,
  kFraudType,
  kIssuer,
  kReporter,
  kSuspectPhones,
  kSuspectAccounts,
  kSuspectDomains,
  kLoss,
};
inline constexpr int kFieldCount = static_cast<int>(Field::kLoss) + 1;

std::string_view FieldName(Field field);                // "duration_s"
std::optional<Field> FindField(std::string_view name);  // exact, lower-case names

// The fields a row of `type` must have (besides id and ts), for the CSV header check. For net
// and directive rows "one of" several fields is required; those are listed by OneOfFields.
std::vector<Field> RequiredFields(model::EventType type);
std::vector<Field> OneOfFields(model::EventType type);  // empty when none

// The list fields (suspect_phones, suspect_accounts, suspect_domains): `;`-separated text in
// CSV, a JSON array (or `;`-separated string) in JSONL.
bool IsListField(Field field);

// One record's field values, borrowed. An empty value counts as absent (an empty CSV cell).
class RawRecord {
 public:
  void Clear() {
    present_ = 0;
    for (auto& items : list_items_) items.clear();
  }
  void Set(Field field, std::string_view value) {
    if (value.empty()) return;
    values_[Index(field)] = value;
    present_ |= Bit(field);
  }
  // For JSON arrays of a list field: one item at a time.
  void AddListItem(Field field, std::string_view item);
  bool Has(Field field) const { return (present_ & Bit(field)) != 0; }
  std::string_view Get(Field field) const {
    return Has(field) ? values_[Index(field)] : std::string_view();
  }
  // The items of a list field: array items if any were added, else the `;`-separated value.
  void ListItems(Field field, std::vector<std::string_view>* out) const;

 private:
  static size_t Index(Field field) { return static_cast<size_t>(field); }
  static uint64_t Bit(Field field) { return uint64_t{1} << Index(field); }
  static size_t ListIndex(Field field);

  uint64_t present_ = 0;
  std::array<std::string_view, kFieldCount> values_;
  std::array<std::vector<std::string_view>, 3> list_items_;
};

// Builds Events from RawRecords. Error messages start with the reason code (docs/formats.md
// "Quarantine reasons") and follow `<code>: <field> '<value>' <why>`, values truncated.
class EventBuilder {
 public:
  explicit EventBuilder(const ReadOptions& options);

  // The event type is the record's `type` field if present, else `default_type` (from the
  // file name); neither is an `unknown_type` / `missing_field` error. Every field of `*out`
  // is overwritten, whatever it held before (a body of the same type is reused, keeping its
  // strings' buffers); it is unspecified after an error.
  Status Build(const RawRecord& record, std::optional<model::EventType> default_type,
               model::Event* out);

 private:
  Status BuildHeader(const RawRecord& r, std::optional<model::EventType> default_type,
                     model::EventHeader* h);
  Status BuildCall(const RawRecord& r, model::Event* out);
  Status BuildSms(const RawRecord& r, model::Event* out);
  Status BuildNet(const RawRecord& r, model::Event* out);
  Status BuildApp(const RawRecord& r, model::Event* out);
  Status BuildTransfer(const RawRecord& r, model::Event* out);
  Status BuildDirective(const RawRecord& r, model::Event* out);
  Status BuildReport(const RawRecord& r, model::Event* out);

  // Field converters: a missing optional field leaves `*out` empty / default.
  Status Phone(const RawRecord& r, Field f, bool required, model::PhoneNumber* out);
  Status Account(const RawRecord& r, Field f, bool required, model::AccountNo* out);
  Status Amount(const RawRecord& r, Field f, bool required, model::Money* out);
  Status IdNo(const RawRecord& r, Field f, std::string* out);
  Status FraudTypeField(const RawRecord& r, model::FraudType* out);
  // Parses `ts` (ParseTimestamp) into last_ts_ and remembers its text and minute; a
  // bad_timestamp error.
  Status ParseTs(std::string_view ts);
  // The remembered minute's time at `second` (0-59), from a table filled as seconds occur.
  absl::Time TimeAtSecond(int second);

  const normalize::PhoneNormalizer& phones_;
  const model::FraudTypeRegistry* fraud_types_;
  normalize::PhoneKey key_;
  normalize::PhoneFlagSet flags_;  // the flags of the number Phone() last normalized
  std::vector<std::string_view> items_;
  absl::Time event_time_;
  // Rows of one minute share their timestamp text but for its seconds: the last parsed text
  // is remembered, and when it has the ISO layout (seconds at bytes 17-18) its minute's
  // start and the times of the seconds seen in it, so that a row of the same minute costs a
  // text compare and a table read (no absl::Duration arithmetic, whose branches mispredict).
  std::string last_ts_text_;
  absl::Time last_ts_;
  bool minute_layout_ = false;
  absl::Time minute_start_;
  uint64_t seconds_known_ = 0;  // bit s: second_times_[s] is filled
  std::array<absl::Time, 60> second_times_;
  // Net rows: raw domain -> NormalizeDomainName(); 65536 entries (4 MiB, allocated by the
  // first net row), since ISP feeds visit tens of thousands of domains.
  internal::ValueMemo domains_{65536};
};

// Parses a yuan amount with at most two decimals ("1999.5", "20000.00", "3") into fen,
// exactly. Errors name what is wrong, without the reason code.
StatusOr<model::Money> ParseYuan(std::string_view text);

// Digits-only account number: full-width digits folded, spaces and '-' removed, 6..32 digits.
StatusOr<std::string> NormalizeAccount(std::string_view text);
// The same into `*out` (which keeps its buffer); `*out` is unspecified after an error.
Status NormalizeAccountTo(std::string_view text, std::string* out);

}  // namespace fz::ingest
