// JsonEventParser and ParseJsonEvent. simdjson is used with error codes only (no exceptions
// leave this file); every error becomes a "bad_json: ..." status.

#include "fz/ingest/json_event.h"

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fz/common/str_cat.h"
#include "fz/ingest/event_fields.h"
#include "fz/ingest/field_values.h"
#include "simdjson.h"

namespace fz::ingest {
namespace {

namespace od = simdjson::ondemand;

// JSON objects longer than this are refused before parsing (as the file reader caps a line).
constexpr size_t kMaxJsonBytes = 64 * 1024;

Status BadJson(std::string_view what) {
  return absl::InvalidArgumentError(fz::StrCat("bad_json: ", what));
}

Status BadJson(std::string_view what, simdjson::error_code error) {
  return absl::InvalidArgumentError(
      fz::StrCat("bad_json: ", what, " (", simdjson::error_message(error), ")"));
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

struct JsonEventParser::Impl {
  explicit Impl(const ReadOptions& options) : builder(options) {}

  Status Extract(std::string_view json);
  Status ExtractValue(Field field, od::value value);
  Status ExtractList(Field field, od::value value);
  std::optional<Field> LookupKey(size_t position, std::string_view key);

  od::parser parser;
  std::unique_ptr<char[]> buffer;
  size_t buffer_capacity = 0;
  RawRecord record;
  EventBuilder builder;
  // Keys seen at each position of the previous object: lines of one feed repeat the same key
  // order, so most lookups are one string comparison.
  std::vector<std::pair<std::string, std::optional<Field>>> key_cache;
};

std::optional<Field> JsonEventParser::Impl::LookupKey(size_t position, std::string_view key) {
  if (position < key_cache.size() && key_cache[position].first == key) {
    return key_cache[position].second;
  }
  std::optional<Field> field = FindField(key);
  if (position < 64) {
    if (key_cache.size() <= position) key_cache.resize(position + 1);
    key_cache[position] = {std::string(key), field};
  }
  return field;
}

Status JsonEventParser::Impl::ExtractList(Field field, od::value value) {
  od::array array;
  if (auto error = value.get_array().get(array); error) {
    return BadJson(fz::StrCat(FieldName(field), " is not an array"), error);
  }
  for (auto element : array) {
    od::value item;
    if (auto error = std::move(element).get(item); error) return BadJson(FieldName(field), error);
    od::json_type type;
    if (auto error = item.type().get(type); error) return BadJson(FieldName(field), error);
    std::string_view text;
    if (type == od::json_type::string) {
      if (auto error = item.get_string().get(text); error) return BadJson(FieldName(field), error);
    } else if (type == od::json_type::number) {
      text = TrimRight(item.raw_json_token());
    } else {
      return BadJson(fz::StrCat(FieldName(field), " items must be strings"));
    }
    record.AddListItem(field, text);
  }
  return absl::OkStatus();
}

Status JsonEventParser::Impl::ExtractValue(Field field, od::value value) {
  od::json_type type;
  if (auto error = value.type().get(type); error) return BadJson(FieldName(field), error);
  switch (type) {
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text); error) {
        return BadJson(FieldName(field), error);
      }
      record.Set(field, text);
      return absl::OkStatus();
    }
    case od::json_type::number:
      // The JSON text of the number: exact for money, and timestamps stay integers.
      record.Set(field, TrimRight(value.raw_json_token()));
      return absl::OkStatus();
    case od::json_type::null:
      return absl::OkStatus();
    case od::json_type::array:
      if (IsListField(field)) return ExtractList(field, value);
      break;
    default:
      break;
  }
  return BadJson(fz::StrCat(FieldName(field), " must be a string or a number"));
}

Status JsonEventParser::Impl::Extract(std::string_view json) {
  record.Clear();
  if (json.size() > kMaxJsonBytes) {
    return absl::InvalidArgumentError(
        fz::StrCat("too_long: object of ", json.size(), " bytes exceeds ", kMaxJsonBytes));
  }
  // Copy into a buffer with simdjson's padding: the input may be a view into a larger buffer
  // whose following bytes are not ours to read.
  if (buffer_capacity < json.size() + simdjson::SIMDJSON_PADDING) {
    buffer_capacity = std::max<size_t>(4096, 2 * json.size() + simdjson::SIMDJSON_PADDING);
    buffer = std::make_unique<char[]>(buffer_capacity);
  }
  std::memcpy(buffer.get(), json.data(), json.size());
  std::memset(buffer.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  od::document doc;
  if (auto error = parser.iterate(buffer.get(), json.size(), buffer_capacity).get(doc); error) {
    return BadJson("cannot parse", error);
  }
  od::object object;
  if (auto error = doc.get_object().get(object); error) {
    return BadJson("line is not a JSON object", error);
  }
  size_t position = 0;
  for (auto member : object) {
    od::field field;
    if (auto error = std::move(member).get(field); error) return BadJson("malformed object", error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return BadJson("malformed key", error);
    std::optional<Field> known = LookupKey(position++, key);
    if (!known.has_value()) continue;  // unknown keys are ignored (skipped by the iterator)
    FZ_RETURN_IF_ERROR(ExtractValue(*known, field.value()));
  }
  // On-Demand stops at the end of the first object, so "{...} {...}" (two events on one
  // line, a producer bug) would otherwise lose the second one silently. Stage 1 indexed every
  // token of the line: anything left after the object is trailing content.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return BadJson("trailing content after the object");
  }
  return absl::OkStatus();
}

JsonEventParser::JsonEventParser(const ReadOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}

JsonEventParser::~JsonEventParser() = default;

Status JsonEventParser::Parse(std::string_view json, std::optional<model::EventType> default_type,
                              model::Event* out) {
  FZ_RETURN_IF_ERROR(impl_->Extract(json));
  return impl_->builder.Build(impl_->record, default_type, out);
}

StatusOr<model::Event> ParseJsonEvent(std::string_view json, const ReadOptions& options) {
  JsonEventParser parser(options);
  model::Event event;
  FZ_RETURN_IF_ERROR(parser.Parse(json, std::nullopt, &event));
  return event;
}

}  // namespace fz::ingest
