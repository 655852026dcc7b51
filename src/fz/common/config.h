// Config: a parsed TOML file with typed getters whose errors name the file, line and key.
// Start-up code reads every setting through it and fails fast on the first bad value.
//
//   FZ_ASSIGN_OR_RETURN(fz::Config config, fz::Config::LoadFile("/etc/fanzha/fanzha.toml"));
//   FZ_RETURN_IF_ERROR(config.CheckNoUnknownKeys("server", {"host", "port", "timeout"}));
//   FZ_ASSIGN_OR_RETURN(int64_t port, config.GetInt("server.port", 1, 65535));
//   FZ_ASSIGN_OR_RETURN(absl::Duration timeout,
//                       config.GetDurationOr("server.timeout", absl::Seconds(30)));
//   // A bad value reads: fanzha.toml:3:8: server.port: expected integer in [1, 65535], got "abc"
//
// Keys are dotted paths through tables, with [i] to index arrays: "server.port",
// "channels[1].name". TOML keys that themselves contain '.', '[' or ']' cannot be addressed.
//
// Every getter returns an error (never a default) when the key is present with the wrong type or
// out of range; the *Or variants return the default only when the key is absent. Nothing throws.
// A Config is immutable: copies are cheap and it is safe to read from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fz/common/status.h"

namespace fz {

namespace config_internal {
struct Document;  // The parsed toml::table and its source name; defined in config.cc.
}  // namespace config_internal

class Config {
 public:
  // Reads and parses the TOML file at `path`; errors are named after `path`.
  static StatusOr<Config> LoadFile(const std::string& path);

  // Parses `text`. `source_name` (a path or "<flags>") prefixes every error message.
  // A syntax error is InvalidArgument "name:line:column: TOML syntax error: ...".
  static StatusOr<Config> Parse(std::string_view text, std::string_view source_name);

  const std::string& source_name() const;

  // True when `key` names an existing value or table.
  bool Has(std::string_view key) const;

  // Required values: NotFound when absent, InvalidArgument when of the wrong type or range.
  StatusOr<int64_t> GetInt(std::string_view key, int64_t min, int64_t max) const;
  // Accepts TOML integers too (`ratio = 1`). NaN is never in range.
  StatusOr<double> GetDouble(std::string_view key, double min, double max) const;
  StatusOr<bool> GetBool(std::string_view key) const;
  StatusOr<std::string> GetString(std::string_view key) const;
  // A string in the syntax of fz::ParseDuration ("90s", "48h", "1h30m").
  StatusOr<absl::Duration> GetDuration(std::string_view key,
                                       absl::Duration min = absl::ZeroDuration(),
                                       absl::Duration max = absl::InfiniteDuration()) const;
  // An array whose elements are all strings; errors name the element ("hosts[2]").
  StatusOr<std::vector<std::string>> GetStringList(std::string_view key) const;

  // Optional values: `default_value` when absent, an error when present but invalid.
  StatusOr<int64_t> GetIntOr(std::string_view key, int64_t default_value, int64_t min,
                             int64_t max) const;
  StatusOr<double> GetDoubleOr(std::string_view key, double default_value, double min,
                               double max) const;
  StatusOr<bool> GetBoolOr(std::string_view key, bool default_value) const;
  StatusOr<std::string> GetStringOr(std::string_view key, std::string_view default_value) const;
  StatusOr<absl::Duration> GetDurationOr(std::string_view key, absl::Duration default_value,
                                         absl::Duration min = absl::ZeroDuration(),
                                         absl::Duration max = absl::InfiniteDuration()) const;
  StatusOr<std::vector<std::string>> GetStringListOr(std::string_view key,
                                                     std::vector<std::string> default_value) const;

  // Number of elements of the array at `key` (e.g. a [[channels]] array of tables), 0 when
  // absent; InvalidArgument when present but not an array.
  StatusOr<size_t> GetArraySize(std::string_view key) const;

  // Keys of the table at `table` ("" is the root) in sorted order; empty if it is absent or not a
  // table.
  std::vector<std::string> Keys(std::string_view table) const;

  // InvalidArgument naming every key of `table` ("" is the root) that is not in `allowed_keys`,
  // each with its line, so that a typo is never silently ignored. OK when `table` is absent.
  Status CheckNoUnknownKeys(std::string_view table,
                            absl::Span<const std::string_view> allowed_keys) const;

 private:
  explicit Config(std::shared_ptr<const config_internal::Document> doc);

  // Shared, not unique: the document is immutable after Parse(), so copies of a Config (handed to
  // each subsystem at start-up) share one tree instead of deep-copying it.
  std::shared_ptr<const config_internal::Document> doc_;
};

}  // namespace fz
