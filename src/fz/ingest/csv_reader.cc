// CSV rows -> Events. The header is mapped to Fields once; each row is split (fast path: no
// quote, at the commas the scanner found while framing it, csv_frame.h; a record it could not
// split, one SSE2 pass for commas and quotes), its mapped columns set on a reused RawRecord, and
// the shared EventBuilder does the rest, so CSV and JSONL rows behave the same.

#include "fz/ingest/csv_reader.h"

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/byte_scan.h"
#include "fz/ingest/event_fields.h"
#include "fz/ingest/field_values.h"
#include "fz/normalize/text.h"

namespace fz::ingest {
namespace {

using internal::BatchSink;

Status SplitQuoted(std::string_view record, std::vector<std::string_view>* fields,
                   std::string* scratch) {
  scratch->reserve(record.size());  // views into scratch must survive later appends
  size_t pos = 0;
  const size_t n = record.size();
  for (;;) {
    if (pos < n && record[pos] == '"') {
      size_t start = scratch->size();
      ++pos;
      for (;;) {
        size_t quote = record.find('"', pos);
        if (quote == std::string_view::npos) {
          return absl::InvalidArgumentError("unterminated quoted field");
        }
        scratch->append(record.substr(pos, quote - pos));
        if (quote + 1 < n && record[quote + 1] == '"') {
          scratch->push_back('"');
          pos = quote + 2;
          continue;
        }
        pos = quote + 1;
        break;
      }
      if (pos < n && record[pos] != ',') {
        return absl::InvalidArgumentError("text after a closing quote");
      }
      fields->emplace_back(scratch->data() + start, scratch->size() - start);
    } else {
      size_t comma = record.find(',', pos);
      size_t end = comma == std::string_view::npos ? n : comma;
      std::string_view field = record.substr(pos, end - pos);
      if (field.find('"') != std::string_view::npos) {
        return absl::InvalidArgumentError("quote inside an unquoted field");
      }
      fields->push_back(field);
      pos = end;
    }
    if (pos >= n) return absl::OkStatus();
    ++pos;  // the comma
    if (pos == n) {
      fields->emplace_back();
      return absl::OkStatus();
    }
  }
}

// The header: which Field each column holds (nullopt: ignored).
struct CsvHeader {
  std::vector<std::optional<Field>> columns;
  // The same as RawRecord slots (RawRecord::kIgnoredSlot for an ignored column), for the fast
  // path, which sets every column without a branch.
  std::vector<uint8_t> slots;
  uint64_t slot_bits = 0;  // a bit per slot in `slots`
  bool has_type = false;
};

std::string LowerTrimmed(std::string_view name) {
  std::string out(normalize::TrimAscii(name));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status HeaderError(const std::string& file, int64_t line, std::string_view what) {
  return absl::InvalidArgumentError(fz::StrCat(file, ":", line, ": ", what));
}

StatusOr<CsvHeader> ParseHeader(const ScannedRecord& rec, std::optional<model::EventType> type,
                                const std::string& file) {
  std::vector<std::string_view> names;
  std::string scratch;
  if (rec.too_long) return HeaderError(file, rec.line, "header row is too long");
  Status split = SplitCsvRecord(rec.text, &names, &scratch);
  if (!split.ok()) return HeaderError(file, rec.line, fz::StrCat("bad header: ", split.message()));
  CsvHeader header;
  uint64_t seen = 0;
  for (std::string_view raw : names) {
    std::optional<Field> field = FindField(LowerTrimmed(raw));
    if (field.has_value()) {
      uint64_t bit = uint64_t{1} << static_cast<int>(*field);
      if ((seen & bit) != 0) {
        return HeaderError(file, rec.line,
                           fz::StrCat("duplicate column '", FieldName(*field), "'"));
      }
      seen |= bit;
    }
    header.columns.push_back(field);
    header.slots.push_back(field.has_value() ? static_cast<uint8_t>(*field)
                                             : RawRecord::kIgnoredSlot);
    header.slot_bits |= uint64_t{1} << header.slots.back();
  }
  auto has = [&](Field f) { return (seen & (uint64_t{1} << static_cast<int>(f))) != 0; };
  header.has_type = has(Field::kType);
  if (!header.has_type && !type.has_value()) {
    return HeaderError(file, rec.line,
                       "no 'type' column, and the file name does not start with an event type "
                       "(call_, sms_, net_, app_, transfer_, directive_, report_)");
  }
  std::vector<Field> required = {Field::kId, Field::kTs};
  if (!header.has_type) {
    for (Field f : RequiredFields(*type)) required.push_back(f);
  }
  for (Field f : required) {
    if (!has(f)) {
      return HeaderError(
          file, rec.line,
          fz::StrCat("missing required column '", FieldName(f), "'", header.has_type ? "" : " for ",
                     header.has_type ? "" : model::EventTypeName(*type),
                     header.has_type ? "" : " events"));
    }
  }
  if (!header.has_type) {
    std::vector<Field> one_of = OneOfFields(*type);
    bool any = one_of.empty();
    std::string names_list;
    for (Field f : one_of) {
      any = any || has(f);
      fz::StrAppend(&names_list, names_list.empty() ? "" : ", ", "'", FieldName(f), "'");
    }
    if (!any) {
      return HeaderError(
          file, rec.line,
          fz::StrCat(model::EventTypeName(*type), " events need one of the columns ", names_list));
    }
  }
  return header;
}

// The first physical line of a (possibly multi-line) record.
std::string_view FirstLine(std::string_view text) {
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

Status SplitCsvRecord(std::string_view record, std::vector<std::string_view>* fields,
                      std::string* scratch) {
  scratch->clear();
  if (internal::SplitUnquoted(record, fields)) return absl::OkStatus();
  fields->clear();
  return SplitQuoted(record, fields, scratch);
}

namespace {

class CsvRowReader final : public internal::RowReader {
 public:
  CsvRowReader(RecordScanner* scanner, std::optional<model::EventType> default_type,
               const ReadOptions& options)
      : scanner_(scanner), default_type_(default_type), builder_(options) {}

  StatusOr<bool> Step(BatchSink& sink) override;

 private:
  // A record that did not split into the header's columns: quarantined, and when it spans
  // lines, only its first line is lost.
  void RejectShape(const ScannedRecord& rec, std::string reason, BatchSink& sink) {
    std::string_view bad = rec.text;
    if (rec.lines > 1) {
      scanner_->ResyncAfterFirstLine();
      bad = FirstLine(rec.text);
    }
    sink.Reject(rec.line, std::move(reason), bad);
  }

  // Sets the field p[begin, end) into its column's slot; returns where the next one begins.
  static uint32_t SetField(RawRecord::Columns& raw, uint8_t slot, const char* p, uint32_t begin,
                           uint32_t end) {
    raw.Set(slot, p + begin, end - begin);
    return end + 1;
  }

  // Sets the fields of a record from its comma offsets, replacing raw_'s; returns its field
  // count (the fields are only set when it matches the header's).
  size_t SetFromCommas(std::string_view text, const internal::LineCommas& commas) {
    const size_t count = size_t{commas.count} + 1;
    if (count != width_) return count;
    const uint8_t* const slots = header_->slots.data();
    const uint32_t* const at = commas.at;
    const char* const p = text.data();
    RawRecord::Columns raw(&raw_);
    // Unrolled for the usual widths: each test is a branch that goes the same way for a whole
    // file, where a loop's exit would go the other way once per row. No lambda capturing
    // locals by reference: GCC then keeps them in memory.
    uint32_t begin = SetField(raw, slots[0], p, 0, at[0]);  // at[count - 1] == text.size()
    if (count > 1) begin = SetField(raw, slots[1], p, begin, at[1]);
    if (count > 2) begin = SetField(raw, slots[2], p, begin, at[2]);
    if (count > 3) begin = SetField(raw, slots[3], p, begin, at[3]);
    if (count > 4) begin = SetField(raw, slots[4], p, begin, at[4]);
    if (count > 5) begin = SetField(raw, slots[5], p, begin, at[5]);
    if (count > 6) begin = SetField(raw, slots[6], p, begin, at[6]);
    if (count > 7) begin = SetField(raw, slots[7], p, begin, at[7]);
    for (size_t i = 8; i < count; ++i) begin = SetField(raw, slots[i], p, begin, at[i]);
    raw.Finish(header_->slot_bits);
    return count;
  }

  // Splits a record without quotes straight into raw_ (no vector of fields) and counts its
  // fields; false when it holds a '"'.
  bool SetUnquoted(std::string_view text, size_t* count) {
    const std::vector<std::optional<Field>>& columns = header_->columns;
    return internal::ForEachUnquotedField(text, [&](std::string_view value) {
      if (*count < columns.size() && columns[*count].has_value()) {
        raw_.Set(*columns[*count], value);
      }
      ++*count;
    });
  }

  RecordScanner* scanner_;
  std::optional<model::EventType> default_type_;
  std::optional<CsvHeader> header_;
  size_t width_ = 0;  // header_'s column count
  ScannedRecord rec_;
  std::vector<std::string_view> fields_;
  std::string scratch_;
  RawRecord raw_;
  EventBuilder builder_;
};

StatusOr<bool> CsvRowReader::Step(BatchSink& sink) {
  FZ_ASSIGN_OR_RETURN(bool more, scanner_->Next(&rec_));
  if (!more) return false;
  const ScannedRecord& rec = rec_;
  if (rec.text.empty() && !rec.too_long) return true;  // blank line
  if (!header_.has_value()) {
    FZ_ASSIGN_OR_RETURN(header_, ParseHeader(rec, default_type_, sink.file()));
    width_ = header_->columns.size();
    return true;
  }
  if (rec.too_long) {
    sink.Reject(rec.line, fz::StrCat("too_long: record exceeds ", kMaxRecordBytes, " bytes"),
                rec.text.substr(0, internal::kMaxQuarantinedTooLong));
    return true;
  }
  const std::vector<std::optional<Field>>& columns = header_->columns;
  size_t count = 0;
  raw_.Clear();
  // Fast path: the scanner found the record's commas while framing it; else a record without
  // quotes is split in one pass; with a quote, SplitCsvRecord unescapes it and the fields are
  // set from there.
  if (rec.commas != nullptr) [[likely]] {
    count = SetFromCommas(rec.text, *rec.commas);
  } else if (!SetUnquoted(rec.text, &count)) {
    Status split = SplitCsvRecord(rec.text, &fields_, &scratch_);
    if (!split.ok()) {
      RejectShape(rec, fz::StrCat("bad_csv: ", split.message()), sink);
      return true;
    }
    count = fields_.size();
    raw_.Clear();
    for (size_t i = 0; i < count && i < columns.size(); ++i) {
      if (columns[i].has_value()) raw_.Set(*columns[i], fields_[i]);
    }
  }
  if (count != width_) {
    RejectShape(rec, fz::StrCat("bad_csv: row has ", count, " fields, header has ", width_), sink);
    return true;
  }
  if (builder_.TryBuild(raw_, default_type_, &sink.Start())) [[likely]] {
    sink.Commit();
  } else {
    sink.Abort(rec.line, std::string(builder_.error().message()), rec.text);
  }
  return true;
}

}  // namespace

std::unique_ptr<internal::RowReader> NewCsvRowReader(RecordScanner* scanner,
                                                     std::optional<model::EventType> default_type,
                                                     const ReadOptions& options) {
  return std::make_unique<CsvRowReader>(scanner, default_type, options);
}

}  // namespace fz::ingest
