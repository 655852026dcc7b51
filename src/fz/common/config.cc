#include "fz/common/config.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

#include <toml++/toml.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "fz/common/duration.h"
#include "fz/common/str_cat.h"

namespace fz {

namespace config_internal {
struct Document {
  toml::table root;
  std::string source_name;
};
}  // namespace config_internal

namespace {

using config_internal::Document;

// "file:line:column" for `region`, or just the file when toml++ recorded no position.
std::string Where(const Document& doc, const toml::source_region& region) {
  if (region.begin.line == 0) return doc.source_name;
  return StrCat(doc.source_name, ":", region.begin.line, ":", region.begin.column);
}

// Shortest text that reads back as `value` (fz::StrCat prints only six decimals).
std::string FormatDouble(double value) {
  char buffer[32];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return {buffer, result.ptr};
}

// The value as it would appear in the file, for "got ..." in messages.
std::string Describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return StrCat("\"", absl::Utf8SafeCEscape(node.as_string()->get()), "\"");
    case toml::node_type::integer:
      return StrCat(node.as_integer()->get());
    case toml::node_type::floating_point:
      return FormatDouble(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

Status ValueError(const Document& doc, const toml::node& node, std::string_view key,
                  std::string_view expected) {
  return absl::InvalidArgumentError(StrCat(Where(doc, node.source()), ": ", key, ": expected ",
                                           expected, ", got ", Describe(node)));
}

// Where a dotted key leads: `node` is the value, null when absent; `nearest` is the deepest
// container that exists on the way, which locates "missing key" errors.
struct Resolved {
  const toml::node* node = nullptr;
  const toml::node* nearest = nullptr;
};

// Parses "[3][0]" into indices; false on anything else.
bool ParseIndices(std::string_view text, std::vector<size_t>* indices) {
  while (!text.empty()) {
    const size_t close = text.find(']');
    if (text.front() != '[' || close == std::string_view::npos || close == 1) return false;
    const std::string_view digits = text.substr(1, close - 1);
    size_t index = 0;
    const char* end = digits.data() + digits.size();
    if (!std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
        std::from_chars(digits.data(), end, index).ptr != end) {
      return false;
    }
    indices->push_back(index);
    text.remove_prefix(close + 1);
  }
  return true;
}

// Follows one segment ("name" or "name[1][2]") from the table at `resolved->node`, appending it
// to `walked`. Leaves `resolved->node` null when the key is absent.
Status Step(const Document& doc, std::string_view key, std::string_view segment,
            std::string* walked, Resolved* resolved) {
  const std::string_view name = segment.substr(0, segment.find('['));
  std::vector<size_t> indices;
  if (name.empty() || name.find(']') != std::string_view::npos ||
      !ParseIndices(segment.substr(name.size()), &indices)) {
    return absl::InvalidArgumentError(StrCat("invalid config key \"", key, "\""));
  }
  const toml::table* table = resolved->node->as_table();
  if (table == nullptr) return ValueError(doc, *resolved->node, *walked, "table");
  StrAppend(walked, walked->empty() ? "" : ".", name);
  resolved->nearest = resolved->node;
  resolved->node = table->get(name);
  for (size_t index : indices) {
    if (resolved->node == nullptr) return absl::OkStatus();
    const toml::array* array = resolved->node->as_array();
    if (array == nullptr) return ValueError(doc, *resolved->node, *walked, "array");
    StrAppend(walked, "[", index, "]");
    resolved->nearest = resolved->node;
    resolved->node = array->get(index);
  }
  return absl::OkStatus();
}

StatusOr<Resolved> Resolve(const Document& doc, std::string_view key) {
  Resolved resolved{&doc.root, &doc.root};
  if (key.empty()) return resolved;
  std::string walked;
  for (size_t start = 0; resolved.node != nullptr;) {
    const size_t dot = key.find('.', start);
    FZ_RETURN_IF_ERROR(Step(doc, key, key.substr(start, dot - start), &walked, &resolved));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return resolved;
}

Status MissingError(const Document& doc, const Resolved& resolved, std::string_view key) {
  const std::string where =
      resolved.nearest == &doc.root ? doc.source_name : Where(doc, resolved.nearest->source());
  return absl::NotFoundError(StrCat(where, ": ", key, ": required key is missing"));
}

// Runs `convert` on the value at `key`; NotFound when absent.
template <typename Convert>
auto GetRequired(const Document& doc, std::string_view key, Convert convert)
    -> decltype(convert(std::declval<const toml::node&>())) {
  FZ_ASSIGN_OR_RETURN(const Resolved resolved, Resolve(doc, key));
  if (resolved.node == nullptr) return MissingError(doc, resolved, key);
  return convert(*resolved.node);
}

// Runs `convert` on the value at `key`; `default_value` when absent.
template <typename T, typename Convert>
StatusOr<T> GetOptional(const Document& doc, std::string_view key, T default_value,
                        Convert convert) {
  FZ_ASSIGN_OR_RETURN(const Resolved resolved, Resolve(doc, key));
  if (resolved.node == nullptr) return default_value;
  return convert(*resolved.node);
}

StatusOr<int64_t> ToInt(const Document& doc, const toml::node& node, std::string_view key,
                        int64_t min, int64_t max) {
  const auto* value = node.as_integer();
  if (value == nullptr || value->get() < min || value->get() > max) {
    return ValueError(doc, node, key, StrCat("integer in [", min, ", ", max, "]"));
  }
  return value->get();
}

StatusOr<double> ToDouble(const Document& doc, const toml::node& node, std::string_view key,
                          double min, double max) {
  const std::optional<double> value = node.is_number() ? node.value<double>() : std::nullopt;
  if (!value.has_value() || !(*value >= min && *value <= max)) {
    return ValueError(doc, node, key,
                      StrCat("number in [", FormatDouble(min), ", ", FormatDouble(max), "]"));
  }
  return *value;
}

StatusOr<bool> ToBool(const Document& doc, const toml::node& node, std::string_view key) {
  if (!node.is_boolean()) return ValueError(doc, node, key, "true or false");
  return node.as_boolean()->get();
}

StatusOr<std::string> ToString(const Document& doc, const toml::node& node, std::string_view key) {
  if (!node.is_string()) return ValueError(doc, node, key, "string");
  return node.as_string()->get();
}

StatusOr<absl::Duration> ToDuration(const Document& doc, const toml::node& node,
                                    std::string_view key, absl::Duration min, absl::Duration max) {
  constexpr std::string_view kExpected = R"(duration such as "90s", "5m", "2h" or "7d")";
  if (!node.is_string()) return ValueError(doc, node, key, kExpected);
  StatusOr<absl::Duration> duration = ParseDuration(node.as_string()->get());
  if (!duration.ok()) {
    return ValueError(doc, node, key, StrCat(kExpected, " (", duration.status().message(), ")"));
  }
  if (*duration < min || *duration > max) {
    return ValueError(
        doc, node, key,
        StrCat("duration in [", absl::FormatDuration(min), ", ", absl::FormatDuration(max), "]"));
  }
  return *duration;
}

StatusOr<std::vector<std::string>> ToStringList(const Document& doc, const toml::node& node,
                                                std::string_view key) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return ValueError(doc, node, key, "array of strings");
  std::vector<std::string> strings;
  strings.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    FZ_ASSIGN_OR_RETURN(std::string element,
                        ToString(doc, *array->get(i), StrCat(key, "[", i, "]")));
    strings.push_back(std::move(element));
  }
  return strings;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return absl::ErrnoToStatus(errno, StrCat("cannot open ", path));
  std::string contents;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) contents.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) return absl::ErrnoToStatus(error, StrCat("cannot read ", path));
  return contents;
}

}  // namespace

Config::Config(std::shared_ptr<const Document> doc) : doc_(std::move(doc)) {}

StatusOr<Config> Config::LoadFile(const std::string& path) {
  FZ_ASSIGN_OR_RETURN(const std::string text, ReadFile(path));
  return Parse(text, path);
}

StatusOr<Config> Config::Parse(std::string_view text, std::string_view source_name) {
  auto doc = std::make_shared<Document>();
  doc->source_name = std::string(source_name);
  const auto syntax_error = [&](const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    return absl::InvalidArgumentError(StrCat(source_name, ":", at.line, ":", at.column,
                                             ": TOML syntax error: ", error.description()));
  };
#if TOML_EXCEPTIONS
  try {
    doc->root = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    return syntax_error(error);
  }
#else
  toml::parse_result result = toml::parse(text, source_name);
  if (!result) return syntax_error(result.error());
  doc->root = std::move(result).table();
#endif
  return Config(std::move(doc));
}

const std::string& Config::source_name() const { return doc_->source_name; }

bool Config::Has(std::string_view key) const {
  const StatusOr<Resolved> resolved = Resolve(*doc_, key);
  return resolved.ok() && resolved->node != nullptr;
}

StatusOr<int64_t> Config::GetInt(std::string_view key, int64_t min, int64_t max) const {
  return GetRequired(*doc_, key,
                     [&](const toml::node& node) { return ToInt(*doc_, node, key, min, max); });
}

StatusOr<double> Config::GetDouble(std::string_view key, double min, double max) const {
  return GetRequired(*doc_, key,
                     [&](const toml::node& node) { return ToDouble(*doc_, node, key, min, max); });
}

StatusOr<bool> Config::GetBool(std::string_view key) const {
  return GetRequired(*doc_, key, [&](const toml::node& node) { return ToBool(*doc_, node, key); });
}

StatusOr<std::string> Config::GetString(std::string_view key) const {
  return GetRequired(*doc_, key,
                     [&](const toml::node& node) { return ToString(*doc_, node, key); });
}

StatusOr<absl::Duration> Config::GetDuration(std::string_view key, absl::Duration min,
                                             absl::Duration max) const {
  return GetRequired(
      *doc_, key, [&](const toml::node& node) { return ToDuration(*doc_, node, key, min, max); });
}

StatusOr<std::vector<std::string>> Config::GetStringList(std::string_view key) const {
  return GetRequired(*doc_, key,
                     [&](const toml::node& node) { return ToStringList(*doc_, node, key); });
}

StatusOr<int64_t> Config::GetIntOr(std::string_view key, int64_t default_value, int64_t min,
                                   int64_t max) const {
  return GetOptional(*doc_, key, default_value,
                     [&](const toml::node& node) { return ToInt(*doc_, node, key, min, max); });
}

StatusOr<double> Config::GetDoubleOr(std::string_view key, double default_value, double min,
                                     double max) const {
  return GetOptional(*doc_, key, default_value,
                     [&](const toml::node& node) { return ToDouble(*doc_, node, key, min, max); });
}

StatusOr<bool> Config::GetBoolOr(std::string_view key, bool default_value) const {
  return GetOptional(*doc_, key, default_value,
                     [&](const toml::node& node) { return ToBool(*doc_, node, key); });
}

StatusOr<std::string> Config::GetStringOr(std::string_view key,
                                          std::string_view default_value) const {
  return GetOptional(*doc_, key, std::string(default_value),
                     [&](const toml::node& node) { return ToString(*doc_, node, key); });
}

StatusOr<absl::Duration> Config::GetDurationOr(std::string_view key, absl::Duration default_value,
                                               absl::Duration min, absl::Duration max) const {
  return GetOptional(*doc_, key, default_value, [&](const toml::node& node) {
    return ToDuration(*doc_, node, key, min, max);
  });
}

StatusOr<std::vector<std::string>> Config::GetStringListOr(
    std::string_view key, std::vector<std::string> default_value) const {
  return GetOptional(*doc_, key, std::move(default_value),
                     [&](const toml::node& node) { return ToStringList(*doc_, node, key); });
}

StatusOr<size_t> Config::GetArraySize(std::string_view key) const {
  return GetOptional(*doc_, key, size_t{0}, [&](const toml::node& node) -> StatusOr<size_t> {
    if (!node.is_array()) return ValueError(*doc_, node, key, "array");
    return node.as_array()->size();
  });
}

std::vector<std::string> Config::Keys(std::string_view table) const {
  std::vector<std::string> keys;
  const StatusOr<Resolved> resolved = Resolve(*doc_, table);
  if (!resolved.ok() || resolved->node == nullptr || !resolved->node->is_table()) return keys;
  for (const auto& [key, value] : *resolved->node->as_table()) keys.emplace_back(key.str());
  return keys;
}

Status Config::CheckNoUnknownKeys(std::string_view table,
                                  absl::Span<const std::string_view> allowed_keys) const {
  FZ_ASSIGN_OR_RETURN(const Resolved resolved, Resolve(*doc_, table));
  if (resolved.node == nullptr) return absl::OkStatus();
  if (!resolved.node->is_table()) return ValueError(*doc_, *resolved.node, table, "table");
  std::vector<std::string> unknown;
  for (const auto& [key, value] : *resolved.node->as_table()) {
    if (std::find(allowed_keys.begin(), allowed_keys.end(), key.str()) != allowed_keys.end()) {
      continue;
    }
    const toml::source_region& region =
        key.source().begin.line != 0 ? key.source() : value.source();
    unknown.push_back(StrCat(Where(*doc_, region), ": ", table, table.empty() ? "" : ".", key.str(),
                             ": unknown key"));
  }
  if (unknown.empty()) return absl::OkStatus();
  std::string allowed;
  for (std::string_view key : allowed_keys) StrAppend(&allowed, allowed.empty() ? "" : ", ", key);
  return absl::InvalidArgumentError(
      StrCat(absl::StrJoin(unknown, "; "), " (allowed: ", allowed, ")"));
}

}  // namespace fz
