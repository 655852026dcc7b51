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
#include <utility>
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
static_assert(kFieldCount < 64, "RawRecord keeps a presence bit per field in a uint64_t");

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
  // For a CSV column that no Field is mapped to: `Columns::Set` stores it in a spare slot.
  static constexpr uint8_t kIgnoredSlot = kFieldCount;

  void Clear() {
    present_ = 0;
    // Only JSON arrays add list items: a CSV row does not pay for clearing three vectors.
    if (has_list_items_) ClearListItems();
  }
  void Set(Field field, std::string_view value) {
    if (value.empty()) return;  // also keeps an earlier value of a repeated JSON key
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

  // Sets all of a record's values at once, for a reader that sets each field at most once (a
  // CSV row: its header has no duplicate columns). Cheaper than Set per value: no branch and
  // no presence bit per value. Finish marks the fields given (`slots`, a bit per slot Set)
  // present, replacing the record's; only when some value was empty (rare: an empty cell)
  // does it look at each value.
  //   RawRecord::Columns columns(&record);
  //   columns.Set(slot, data, size); ...  // slot: a Field's index or kIgnoredSlot
  //   columns.Finish(slots);
  class Columns {
   public:
    explicit Columns(RawRecord* record) : record_(record), values_(record->values_.data()) {}
    void Set(uint8_t slot, const char* data, size_t size) {
      values_[slot] = std::string_view(data, size);
      sizes_minus_one_ |= size - 1;  // bit 63 set by an empty value only
    }
    void Finish(uint64_t slots) {
      slots &= kFieldBits;
      if ((sizes_minus_one_ >> 63) != 0) [[unlikely]]
        slots = DropEmpty(slots);
      record_->present_ = slots;
    }

   private:
    uint64_t DropEmpty(uint64_t slots) const;

    RawRecord* record_;
    std::string_view* values_;
    uint64_t sizes_minus_one_ = 0;
  };

 private:
  static constexpr uint64_t kFieldBits = (uint64_t{1} << kFieldCount) - 1;
  static size_t Index(Field field) { return static_cast<size_t>(field); }
  static uint64_t Bit(Field field) { return uint64_t{1} << Index(field); }
  static size_t ListIndex(Field field);
  void ClearListItems();

  uint64_t present_ = 0;
  bool has_list_items_ = false;
  std::array<std::string_view, kFieldCount + 1> values_;  // + kIgnoredSlot
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
  // The same without a Status on success (the per-row path): false after an error, which
  // error() then holds until the next one.
  bool TryBuild(const RawRecord& record, std::optional<model::EventType> default_type,
                model::Event* out);
  const Status& error() const { return error_; }

 private:
  // Each step returns false after an error, which it has stored in error_ (Fail): an
  // absl::Status returned by every step costs a construction, a test and a destruction per
  // step and field on the success path.
  bool Fail(Status error) {
    error_ = std::move(error);
    return false;
  }
  bool BuildHeader(const RawRecord& r, std::optional<model::EventType> default_type,
                   model::EventHeader* h);
  bool BuildCall(const RawRecord& r, model::Event* out);
  bool BuildSms(const RawRecord& r, model::Event* out);
  bool BuildNet(const RawRecord& r, model::Event* out);
  bool BuildApp(const RawRecord& r, model::Event* out);
  bool BuildTransfer(const RawRecord& r, model::Event* out);
  bool BuildDirective(const RawRecord& r, model::Event* out);
  bool BuildReport(const RawRecord& r, model::Event* out);

  // Field converters: a missing optional field leaves `*out` empty / default.
  bool Phone(const RawRecord& r, Field f, bool required, model::PhoneNumber* out);
  bool PhoneSlow(const RawRecord& r, Field f, bool required, model::PhoneNumber* out);
  bool Account(const RawRecord& r, Field f, bool required, model::AccountNo* out);
  bool Amount(const RawRecord& r, Field f, bool required, model::Money* out);
  bool IdNo(const RawRecord& r, Field f, std::string* out);
  bool FraudTypeField(const RawRecord& r, model::FraudType* out);
  // Parses `ts` (ParseTimestamp) into last_ts_ and remembers its text and minute; a
  // bad_timestamp error.
  bool ParseTs(std::string_view ts);
  // The remembered minute's time at `second` (0-59): from its start in whole seconds, or
  // when it has a fraction (SecondOfOddMinute), from a table filled as seconds occur.
  absl::Time TimeAtSecond(int second);
  absl::Time SecondOfOddMinute(int second);

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
  uint64_t ts_tail_keep_ = 0;  // TailKeep(last_ts_text_.size()) in event_fields.cc
  bool whole_minute_ = false;  // minute_start_ == FromUnixSeconds(minute_unix_s_)
  int64_t minute_unix_s_ = 0;
  uint64_t seconds_known_ = 0;  // bit s: second_times_[s] is filled
  std::array<absl::Time, 60> second_times_;
  // Net rows: raw domain -> NormalizeDomainName(); 65536 entries (4 MiB, allocated by the
  // first net row), since ISP feeds visit tens of thousands of domains.
  internal::ValueMemo domains_{65536};
  Status error_;  // the last error (Fail)
};

// Parses a yuan amount with at most two decimals ("1999.5", "20000.00", "3") into fen,
// exactly. Errors name what is wrong, without the reason code.
StatusOr<model::Money> ParseYuan(std::string_view text);

// Digits-only account number: full-width digits folded, spaces and '-' removed, 6..32 digits.
StatusOr<std::string> NormalizeAccount(std::string_view text);
// The same into `*out` (which keeps its buffer); `*out` is unspecified after an error.
Status NormalizeAccountTo(std::string_view text, std::string* out);

}  // namespace fz::ingest
