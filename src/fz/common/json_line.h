// Building JSON lines by hand: the generator's events (millions of lines per second) and the
// warnings file, with timestamps in the forms docs/formats.md accepts.
//
//   JsonLine line(&buffer);            // appends to `buffer`
//   line.Str("type", "call").Time("ts", t).Int("duration_s", 412);
//   line.Close();                      // "}" — the caller adds the newline
//
// Not thread-safe; cheap to construct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fz {

// Epoch seconds (UTC) of 00:00 Beijing time (UTC+8) on a civil date.
int64_t BeijingMidnight(int year, int month, int day);

// "2026-11-23T09:30:00+08:00" (Beijing time) for epoch seconds.
void AppendBeijingTime(std::string* out, int64_t epoch_s);
// "2026-11-23T01:30:00Z" for epoch seconds.
void AppendUtcTime(std::string* out, int64_t epoch_s);
// "20261123": the Beijing calendar date, for file names and ids.
std::string BeijingDate(int64_t epoch_s);

// Amounts in fen as yuan with two decimals: 199950 -> "1999.50".
void AppendYuan(std::string* out, int64_t fen);
std::string Yuan(int64_t fen);

// Appends `text` JSON-escaped (without quotes), exactly as nlohmann::json's dump escapes valid
// UTF-8 (short escapes for \b \f \n \r \t, \u00xx for other control characters). Invalid
// UTF-8 is copied as is: check IsValidUtf8 first where the text comes from outside.
void AppendJsonEscaped(std::string* out, std::string_view text);

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);

class JsonLine {
 public:
  // Starts an object: appends "{" unless `continuing` (the caller already wrote "{...,").
  explicit JsonLine(std::string* out, bool continuing = false) : out_(out), first_(!continuing) {
    if (!continuing) out_->push_back('{');
  }

  JsonLine& Str(std::string_view key, std::string_view value);
  JsonLine& Int(std::string_view key, int64_t value);
  JsonLine& Time(std::string_view key, int64_t epoch_s);     // Beijing time with offset
  JsonLine& UtcTime(std::string_view key, int64_t epoch_s);  // "...Z"
  JsonLine& EpochMs(std::string_view key, int64_t epoch_s);  // a JSON number of milliseconds
  JsonLine& YuanStr(std::string_view key, int64_t fen);      // "1999.50"
  JsonLine& StrList(std::string_view key, const std::vector<std::string>& values);
  JsonLine& Null(std::string_view key);
  // Writes `"key":` and returns the buffer, for a value the caller formats itself.
  std::string* Field(std::string_view key) {
    Key(key);
    return out_;
  }
  void Close() { out_->push_back('}'); }

 private:
  void Key(std::string_view key);
  std::string* out_;
  bool first_;
};

}  // namespace fz
